package dev.hearth.poolmanager.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void functionSpecs_crossTheWireUnchanged() {
        var source = new FunctionSpec("id1", "ada", "echo", 3, new Workload.Source(Language.PYTHON, "main.handler", "ab".repeat(32)),
                256, 5_000, Map.of("K", "v"), true, 2);
        var image = new FunctionSpec("id2", "ada", "rev", 1, new Workload.Image("hearth/example-rev", Workload.Contract.EXEC),
                128, 3_000, Map.of(), false, 0);
        for (FunctionSpec spec : new FunctionSpec[] {source, image}) {
            byte[] bytes = Wire.write(Wire.Spec.of(spec));
            assertEquals(spec, Wire.read(bytes, Wire.Spec.class).toSpec());
        }
    }

    @Test
    void replies_carryOutcomeLogsAndNode() {
        byte[] error = "{\"errorType\":\"ValueError\"}".getBytes(StandardCharsets.UTF_8);
        var invocation = new Invocation("inv", StartKind.WARM, new Outcome.FunctionError(error), 0, 1234,
                "line\n".getBytes(StandardCharsets.UTF_8), "pm1");
        Wire.ReplyMeta meta = Wire.read(Wire.write(Wire.ReplyMeta.of(invocation, 7)), Wire.ReplyMeta.class);
        Invocation back = meta.toInvocation("inv", Wire.body(invocation.outcome()));
        assertEquals(7, meta.served());
        assertEquals("pm1", back.node());
        assertEquals(StartKind.WARM, back.start());
        assertEquals(1234, back.runMicros());
        assertArrayEquals(invocation.logs(), back.logs());
        assertArrayEquals(error, ((Outcome.FunctionError) back.outcome()).json());

        var timeout = new Invocation("inv", StartKind.COLD, new Outcome.Timeout(3000), 5, 6, null, "pm2");
        Outcome outcome = Wire.read(Wire.write(Wire.ReplyMeta.of(timeout, 1)), Wire.ReplyMeta.class).toInvocation("inv", new byte[0]).outcome();
        assertEquals(3000, assertInstanceOf(Outcome.Timeout.class, outcome).timeoutMs());
    }
}
