package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Python functions end to end over REST, against real containers from the warm pool. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonFunctionIntegrationTest {

    static final String ECHO = "def handler(event, context):\n    return {\"echo\": event}\n";

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    Api api;
    String alice;
    String bob;

    @BeforeAll
    void start() {
        api = hearth.api();
        alice = api.userWithToken("alice");
        bob = api.userWithToken("bob");
    }

    private void create(String token, Object body) {
        Api.Reply reply = api.post("/v1/functions", token, body);
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("ready", reply.json().get("status").asText());
    }

    /** Tests run in any order and drain the pool; a test that expects a pool start waits for the refill. */
    private void awaitPrewarmed() throws InterruptedException {
        assertTrue(Docker.eventually(java.time.Duration.ofSeconds(30),
                () -> hearth.pool().stats().prewarmed().getOrDefault("python", 0) > 0), "pool refilled");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void firstCall_isServedFromPool_thenWarm() throws Exception {
        String name = unique("echo");
        create(alice, Api.pythonSource(name, ECHO));
        awaitPrewarmed();

        Api.Reply first = api.invoke(alice, name, "{\"a\":1}");
        assertEquals(200, first.status(), first::toString);
        assertEquals("{\"echo\":{\"a\":1}}", first.text());
        assertEquals("pool", first.header("X-Hearth-Start"));
        assertNotNull(UUID.fromString(first.header("X-Hearth-Invocation-Id")));

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Api.Reply next = api.invoke(alice, name, "[1,2]");
            assertEquals(200, next.status(), next::toString);
            assertEquals("{\"echo\":[1,2]}", next.text());
            assertEquals("warm", next.header("X-Hearth-Start"));
            ids.add(next.header("X-Hearth-Invocation-Id"));
        }
        assertEquals(5, ids.size(), "every invocation has its own id");
    }

    @Test
    void event_jsonIsParsed_otherBodiesArriveAsStrings_emptyIsEmptyObject() {
        String name = unique("types");
        create(alice, Api.pythonSource(name,
                "def handler(event, context):\n    return {\"type\": type(event).__name__, \"event\": event}\n"));

        assertEquals("{\"type\":\"dict\",\"event\":{\"k\":[1,true,null]}}", api.invoke(alice, name, "{\"k\":[1,true,null]}").text());
        assertEquals("{\"type\":\"int\",\"event\":42}", api.invoke(alice, name, "42").text());
        assertEquals("{\"type\":\"str\",\"event\":\"hello world\"}", api.invoke(alice, name, "hello world").text());
        assertEquals("{\"type\":\"str\",\"event\":\"{not json\"}", api.invoke(alice, name, "{not json").text());
        assertEquals("{\"type\":\"dict\",\"event\":{}}", api.invoke(alice, name, "").text());
    }

    @Test
    void context_carriesRequestIdDeadlineNameVersionAndMemory() {
        String name = unique("ctx");
        var body = Api.pythonSource(name, """
                def handler(event, context):
                    return {"id": context.aws_request_id, "name": context.function_name,
                            "version": context.function_version, "memory": context.memory_limit_in_mb,
                            "left": context.get_remaining_time_in_millis()}
                """);
        body.put("timeoutMs", 5000).put("memoryMb", 256);
        create(alice, body);

        Api.Reply reply = api.invoke(alice, name, "{}");
        JsonNode ctx = reply.json();
        assertEquals(reply.header("X-Hearth-Invocation-Id"), ctx.get("id").asText());
        assertEquals(name, ctx.get("name").asText());
        assertEquals("1", ctx.get("version").asText());
        assertEquals(256, ctx.get("memory").asInt());
        int left = ctx.get("left").asInt();
        assertTrue(left > 0 && left <= 5000, "remaining time within the timeout: " + left);
    }

    @Test
    void zipWithPackage_isImportable() {
        String name = unique("zipped");
        create(alice, Api.pythonArchive(name, Map.of(
                "main.py", "from greeting import polite\n\ndef handler(event, context):\n    return polite(event['who'])\n",
                "greeting/__init__.py", "from .words import HELLO\n\ndef polite(who):\n    return HELLO + ', ' + who\n",
                "greeting/words.py", "HELLO = 'Good day'\n")));

        Api.Reply reply = api.invoke(alice, name, "{\"who\":\"Ada\"}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("\"Good day, Ada\"", reply.text());
    }

    @Test
    void handlerThatRaises_givesFunctionError_andTheNextCallWorks() {
        String name = unique("raises");
        create(alice, Api.pythonSource(name, """
                def handler(event, context):
                    if event.get("fail"):
                        raise ValueError("asked to fail")
                    return "fine"
                """));

        Api.Reply failed = api.invoke(alice, name, "{\"fail\":true}");
        assertEquals(502, failed.status(), failed::toString);
        JsonNode error = failed.json().get("error");
        assertEquals("function_error", error.get("type").asText());
        assertEquals("ValueError", error.get("errorType").asText());
        assertEquals("asked to fail", error.get("errorMessage").asText());
        assertTrue(error.get("stackTrace").toString().contains("asked to fail"));
        assertNotNull(failed.header("X-Hearth-Invocation-Id"));

        Api.Reply next = api.invoke(alice, name, "{}");
        assertEquals(200, next.status(), next::toString);
        assertEquals("\"fine\"", next.text());
        assertEquals("warm", next.header("X-Hearth-Start"), "the agent survived the exception");
    }

    @Test
    void handlerThatKillsItsProcess_givesCrash_andTheNextCallWorks() {
        String name = unique("exits");
        create(alice, Api.pythonSource(name, """
                import os
                def handler(event, context):
                    if event.get("die"):
                        os._exit(3)
                    return "alive"
                """));

        Api.Reply crashed = api.invoke(alice, name, "{\"die\":true}");
        assertEquals(502, crashed.status(), crashed::toString);
        assertEquals("function_crashed", crashed.errorType());

        Api.Reply next = api.invoke(alice, name, "{}");
        assertEquals(200, next.status(), next::toString);
        assertEquals("\"alive\"", next.text());
    }

    @Test
    void slowHandler_timesOut_with504_andTheNextCallGetsAFreshContainer() {
        String name = unique("slow");
        var body = Api.pythonSource(name, """
                import time
                def handler(event, context):
                    time.sleep(event.get("sleep", 0))
                    return "done"
                """);
        body.put("timeoutMs", 300);
        create(alice, body);

        Api.Reply slow = api.invoke(alice, name, "{\"sleep\":5}");
        assertEquals(504, slow.status(), slow::toString);
        assertEquals("timeout", slow.errorType());

        Api.Reply next = api.invoke(alice, name, "{}");
        assertEquals(200, next.status(), next::toString);
        assertTrue(Set.of("pool", "cold").contains(next.header("X-Hearth-Start")), "the timed-out container was not reused");
    }

    @Test
    void resultsThatCannotBeSent_areFunctionErrors_andTheNextCallWorks() {
        String name = unique("results");
        create(alice, Api.pythonSource(name, """
                def handler(event, context):
                    kind = event.get("kind")
                    if kind == "huge":
                        return "x" * (7 * 1024 * 1024)
                    if kind == "nan":
                        return float("nan")
                    if kind == "object":
                        return object()
                    return "small"
                """));

        Api.Reply huge = api.invoke(alice, name, "{\"kind\":\"huge\"}");
        assertEquals(502, huge.status(), huge::toString);
        assertEquals("Runtime.ResponseTooLarge", huge.json().get("error").get("errorType").asText());
        for (String kind : new String[] {"nan", "object"}) {
            Api.Reply bad = api.invoke(alice, name, "{\"kind\":\"" + kind + "\"}");
            assertEquals(502, bad.status(), bad::toString);
            assertEquals("Runtime.MarshalError", bad.json().get("error").get("errorType").asText());
        }
        assertEquals("\"small\"", api.invoke(alice, name, "{}").text());
    }

    @Test
    void brokenModule_givesSyntaxErrorAsFunctionError() {
        String name = unique("broken");
        create(alice, Api.pythonSource(name, "def handler(event, context)\n    return 1\n"));

        Api.Reply reply = api.invoke(alice, name, "{}");
        assertEquals(502, reply.status(), reply::toString);
        assertEquals("Runtime.UserCodeSyntaxError", reply.json().get("error").get("errorType").asText());
    }

    @Test
    void otherUsers_cannotSeeInvokeOrDelete() {
        String name = unique("private");
        create(alice, Api.pythonSource(name, ECHO));

        assertEquals(404, api.get("/v1/functions/" + name, bob).status());
        assertEquals(404, api.invoke(bob, name, "{}").status());
        assertEquals(404, api.delete("/v1/functions/" + name, bob).status());
        for (JsonNode f : api.get("/v1/functions", bob).json().get("functions")) {
            assertTrue(!f.get("name").asText().equals(name), "bob's list shows alice's function");
        }
        assertEquals(200, api.invoke(alice, name, "{}").status(), "still alice's after bob's attempts");
        assertEquals(200, api.get("/v1/functions/" + name, alice).status());
    }

    @Test
    void sameName_isPerUser_butUniqueForOneUser() {
        String name = unique("shared");
        create(alice, Api.pythonSource(name, "def handler(e, c):\n    return 'alice'\n"));
        create(bob, Api.pythonSource(name, "def handler(e, c):\n    return 'bob'\n"));

        assertEquals("\"alice\"", api.invoke(alice, name, "{}").text());
        assertEquals("\"bob\"", api.invoke(bob, name, "{}").text());
        Api.Reply again = api.post("/v1/functions", alice, Api.pythonSource(name, ECHO));
        assertEquals(409, again.status(), again::toString);
        assertEquals("conflict", again.errorType());
    }

    @Test
    void list_showsOwnFunctions() {
        String name = unique("listed");
        create(alice, Api.pythonSource(name, ECHO));
        List<String> names = new ArrayList<>();
        api.get("/v1/functions", alice).json().get("functions").forEach(f -> names.add(f.get("name").asText()));
        assertTrue(names.contains(name), names::toString);
    }

    @Test
    void delete_answers204_thenTheFunctionIsGone() {
        String name = unique("doomed");
        create(alice, Api.pythonSource(name, ECHO));
        assertEquals(200, api.invoke(alice, name, "{}").status());

        Api.Reply deleted = api.delete("/v1/functions/" + name, alice);
        assertEquals(204, deleted.status(), deleted::toString);
        Api.Reply invoked = api.invoke(alice, name, "{}");
        assertEquals(404, invoked.status(), invoked::toString);
        assertEquals("not_found", invoked.errorType());
        assertEquals(404, api.get("/v1/functions/" + name, alice).status());
        assertEquals(404, api.delete("/v1/functions/" + name, alice).status());

        create(alice, Api.pythonSource(name, "def handler(e, c):\n    return 'reborn'\n"));
        Api.Reply reborn = api.invoke(alice, name, "{}");
        assertEquals("\"reborn\"", reborn.text(), "a re-created function never reuses the old one's containers");
    }

    @Test
    void concurrencyLimit_refusesCallsOverIt_with429() throws Exception {
        String name = unique("single");
        var body = Api.pythonSource(name, "import time\ndef handler(e, c):\n    time.sleep(e.get('sleep', 0))\n    return 'ok'\n");
        body.put("concurrency", 1).put("timeoutMs", 10_000);
        create(alice, body);
        assertEquals(200, api.invoke(alice, name, "{}").status());

        var executor = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> slowCall = () -> api.invoke(alice, name, "{\"sleep\":3}").status();
            Future<Integer> first = executor.submit(slowCall);
            Thread.sleep(300);
            Future<Integer> second = executor.submit(slowCall);
            assertEquals(429, second.get());
            assertEquals(200, first.get());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void invocationRecord_keepsStartDurationsStatusAndTaggedLogs() throws Exception {
        String name = unique("logged");
        create(alice, Api.pythonSource(name, """
                import sys
                print("loading")
                def handler(event, context):
                    print("hello from", event["who"])
                    print("partial", end="")
                    sys.stderr.write("careful\\n")
                    if event.get("fail"):
                        raise RuntimeError("boom")
                    return "ok"
                """));
        awaitPrewarmed();
        Api.Reply first = api.invoke(alice, name, "{\"who\":\"ada\"}");
        Api.Reply second = api.invoke(alice, name, "{\"who\":\"bob\",\"fail\":true}");
        String firstId = first.header("X-Hearth-Invocation-Id");
        String secondId = second.header("X-Hearth-Invocation-Id");

        JsonNode record = api.get("/v1/invocations/" + firstId, alice).json();
        assertEquals(firstId, record.get("id").asText());
        assertEquals(name, record.get("function").asText());
        assertEquals("pool", record.get("start").asText());
        assertEquals("succeeded", record.get("status").asText());
        assertTrue(record.get("initMs").asDouble() > 0 && record.get("runMs").asDouble() > 0);
        assertTrue(record.get("totalMs").asDouble() >= record.get("runMs").asDouble());
        List<String> lines = new ArrayList<>();
        record.get("logs").forEach(l -> lines.add(l.asText()));
        assertEquals(4, lines.size(), lines::toString);
        assertTrue(lines.get(0).endsWith("\t" + firstId + "\tstdout\tloading"), "init output comes with the first call: " + lines);
        assertTrue(lines.contains(lines.get(1)) && lines.get(1).endsWith("\t" + firstId + "\tstdout\thello from ada"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("\tstderr\tcareful")), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("\tstdout\tpartial")), "a line without newline is kept: " + lines);
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t.*"), lines.get(0));

        JsonNode failed = api.get("/v1/invocations/" + secondId, alice).json();
        assertEquals("failed", failed.get("status").asText());
        assertEquals("warm", failed.get("start").asText());
        assertEquals("RuntimeError", failed.get("error").get("type").asText());
        assertEquals("boom", failed.get("error").get("message").asText());
        assertTrue(failed.get("logs").toString().contains("hello from bob"));

        JsonNode recent = api.get("/v1/functions/" + name + "/invocations?limit=1", alice).json().get("invocations");
        assertEquals(1, recent.size());
        assertEquals(secondId, recent.get(0).get("id").asText(), "newest first");
        assertEquals(2, api.get("/v1/functions/" + name + "/invocations", alice).json().get("invocations").size());
        assertEquals(400, api.get("/v1/functions/" + name + "/invocations?limit=0", alice).status());
        assertEquals(404, api.get("/v1/invocations/" + firstId, bob).status(), "another user's invocation is not found");
        assertEquals(404, api.get("/v1/functions/" + name + "/invocations", bob).status());
    }

    @Test
    void overlappingInvocations_keepTheirLogLinesApart() throws Exception {
        String name = unique("overlap");
        create(alice, Api.pythonSource(name, """
                import time
                def handler(event, context):
                    for i in range(5):
                        print(event["tag"], i)
                        time.sleep(0.05)
                    return event["tag"]
                """));
        var executor = Executors.newFixedThreadPool(2);
        try {
            Future<Api.Reply> a = executor.submit(() -> api.invoke(alice, name, "{\"tag\":\"AAA\"}"));
            Future<Api.Reply> b = executor.submit(() -> api.invoke(alice, name, "{\"tag\":\"BBB\"}"));
            for (var pair : List.of(Map.entry("AAA", a.get()), Map.entry("BBB", b.get()))) {
                String id = pair.getValue().header("X-Hearth-Invocation-Id");
                JsonNode logs = api.get("/v1/invocations/" + id, alice).json().get("logs");
                assertEquals(5, logs.size(), logs::toString);
                for (JsonNode line : logs) {
                    assertTrue(line.asText().contains("\t" + id + "\tstdout\t" + pair.getKey() + " "), line.asText());
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void envVariables_reachTheFunction() {
        String name = unique("env");
        var body = Api.pythonSource(name, "import os\ndef handler(e, c):\n    return os.environ.get('GREETING', 'none')\n");
        body.putObject("env").put("GREETING", "bonjour");
        create(alice, body);
        assertEquals("\"bonjour\"", api.invoke(alice, name, "{}").text());
        assertEquals("bonjour", api.get("/v1/functions/" + name, alice).json().get("env").get("GREETING").asText());
    }

    @Test
    void health_reportsWarmPools() {
        Api.Reply health = api.get("/healthz", null);
        assertEquals(200, health.status(), health::toString);
        assertEquals("ok", health.json().get("status").asText());
    }
}
