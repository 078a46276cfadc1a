package dev.hearth.poolmanager.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void functionSpecs_crossTheWireUnchanged() {
        var source = new FunctionSpec("id1", "ada", "echo", 3, new Workload.Source(Language.PYTHON, "main.handler", "ab".repeat(32)),
                new FunctionSettings(256, 5_000, 0, Map.of("K", "v"), true, 2));
        var image = new FunctionSpec("id2", "ada", "rev", 1, new Workload.Image("hearth/example-rev", Workload.Contract.EXEC),
                new FunctionSettings(128, 3_000, 0, Map.of(), false, 0));
        for (FunctionSpec spec : new FunctionSpec[] {source, image}) {
            byte[] bytes = Wire.write(spec);
            assertEquals(spec, Wire.read(bytes, FunctionSpec.class));
            var meta = Wire.read(Wire.write(new Wire.InvokeMeta(spec, "inv", "prod", "e30=")), Wire.InvokeMeta.class);
            assertEquals(new Wire.InvokeMeta(spec, "inv", "prod", "e30="), meta);
            var bare = Wire.read(Wire.write(new Wire.InvokeMeta(spec, "inv", null, null)), Wire.InvokeMeta.class);
            assertEquals(new Wire.InvokeMeta(spec, "inv", null, null), bare);
        }
    }

    @Test
    void functionSpecs_nameTheirWorkloadsKind_andNothingElseOfTheModel() throws Exception {
        var spec = new FunctionSpec("id1", "ada", "echo", 3, new Workload.Source(Language.NODE, "index.handler", "cd".repeat(32)),
                new FunctionSettings(256, 5_000, 0, Map.of(), false, 0));
        var json = Wire.JSON.readTree(Wire.write(spec));
        assertEquals("source", json.get("workload").get("kind").asText());
        var fields = new java.util.HashSet<String>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(java.util.Set.of("id", "owner", "name", "version", "workload", "settings"), fields);
        var settings = new java.util.HashSet<String>();
        json.get("settings").fieldNames().forEachRemaining(settings::add);
        assertEquals(java.util.Set.of("memoryMb", "timeoutMs", "concurrency", "env", "egress", "minWarm"), settings);
        String image = "{\"id\":\"i\",\"owner\":\"o\",\"name\":\"n\",\"version\":1,\"workload\":{\"kind\":\"image\","
                + "\"reference\":\"hearth/example-http\",\"contract\":\"HTTP\"},\"settings\":{\"memoryMb\":128,\"timeoutMs\":100,"
                + "\"concurrency\":0,\"egress\":false,\"minWarm\":1}}";
        assertEquals(new Workload.Image("hearth/example-http", Workload.Contract.HTTP),
                Wire.read(image.getBytes(StandardCharsets.UTF_8), FunctionSpec.class).workload());
    }

    @Test
    void functionSpecs_thatBreakTheModelsRules_areRefused() {
        String noWorkload = "{\"id\":\"i\",\"owner\":\"o\",\"name\":\"n\",\"version\":1,"
                + "\"settings\":{\"memoryMb\":128,\"timeoutMs\":100}}";
        assertThrows(java.io.UncheckedIOException.class, () -> Wire.read(noWorkload.getBytes(StandardCharsets.UTF_8), FunctionSpec.class));
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

    @Test
    void crashes_crossTheWire_withTheirExitStatus_orWithoutOne() {
        for (var crashed : new Outcome.Crashed[] {new Outcome.Crashed("exited", 1), new Outcome.Crashed("refused")}) {
            var invocation = new Invocation("inv", StartKind.POOL, crashed, 0, 0, null, "pm1");
            Outcome back = Wire.read(Wire.write(Wire.ReplyMeta.of(invocation, 1)), Wire.ReplyMeta.class).toInvocation("inv", new byte[0]).outcome();
            assertEquals(crashed, back);
        }
    }

    @Test
    void retirements_crossTheWire_asAllVersionsOrExactlyTheNamedOnes() {
        Wire.Retire some = Wire.read(Wire.write(Wire.Retire.of("f", Set.of(3L, 1L))), Wire.Retire.class);
        assertEquals(new Wire.Retire("f", List.of(1L, 3L), false), some);
        Wire.Retire all = Wire.read(Wire.write(Wire.Retire.all("f")), Wire.Retire.class);
        assertEquals(new Wire.Retire("f", List.of(), true), all);
        assertEquals(new Wire.Retire("f", List.of(), false), Wire.read("{\"functionId\":\"f\"}".getBytes(StandardCharsets.UTF_8),
                Wire.Retire.class), "with neither, nothing is retired");
        assertThrows(java.io.UncheckedIOException.class,
                () -> Wire.read("{\"versions\":[1]}".getBytes(StandardCharsets.UTF_8), Wire.Retire.class), "no function");
    }
}
