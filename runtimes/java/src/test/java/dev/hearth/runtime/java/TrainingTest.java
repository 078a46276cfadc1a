package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The rehearsal a pooled agent runs before it listens passes, and leaves nothing behind for the function. */
class TrainingTest {

    @Test
    void rehearsal_answersAsExpected_andSetsNoEnvironmentVariable() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        boolean passed;
        try {
            passed = Training.rehearse(java.nio.file.Path.of("target/rehearsal"));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertTrue(passed, "every practice call answered as expected");
        assertNull(System.getenv("HEARTH_TRAINING"));
    }

    @Test
    void aRehearsedAgentsDispatcher_isFresh_soTheFunctionsInitIsItsFirst() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            Training.rehearse(java.nio.file.Path.of("target/rehearsal"));
            var capture = LogCapture.install();
            var dispatcher = Agent.newDispatcher(capture);
            var health = dispatcher.handle(new HttpRequest("GET", "/healthz", "HTTP/1.1", new java.util.TreeMap<>(), new byte[0], false, true));
            assertEquals(200, health.status());
            assertEquals("{\"initialized\":false}", TestSupport.text(health.body().get(0)));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
