package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rehearsal a pooled agent runs before it listens passes, and leaves nothing behind for the function. */
class TrainingTest {

    @Test
    void rehearsal_answersAsExpected_andLeavesTheEnvironmentAsItFoundIt() {
        // One rehearsed variable set beforehand (as an image may set it), the others unset.
        Map<String, String> before = new HashMap<>();
        for (String name : Training.REHEARSED_VARIABLES) {
            before.put(name, name.equals("TZ") ? "Europe/Paris" : null);
        }
        Environment.restore(before);
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
        assertEquals("Europe/Paris", System.getenv("TZ"), "a variable set before is put back");
        for (String name : Training.REHEARSED_VARIABLES) {
            if (!name.equals("TZ")) {
                assertNull(System.getenv(name), name + " was unset before the rehearsal");
                assertFalse(System.getenv().containsKey(name), name + " is not in the map");
            }
        }
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
