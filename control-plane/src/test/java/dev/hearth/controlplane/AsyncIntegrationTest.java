package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async invocations in embedded mode: accepted with 202 once stored, run by the node, retried
 * with backoff on function errors and dead-lettered after the last attempt, surviving a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncIntegrationTest {

    @TempDir
    static Path data;
    Map<String, String> env;
    Hearth hearth;
    Api api;
    String token;

    @BeforeAll
    void start() throws Exception {
        env = TestHearth.settings(data);
        env.put("HEARTH_POOL_PYTHON", "2");
        env.put("HEARTH_ASYNC_MAX_ATTEMPTS", "3");
        env.put("HEARTH_ASYNC_RETRY_BASE_MS", "300");
        env.put("HEARTH_ASYNC_PRIVATE_CALLBACKS", "true"); // the test's receiver listens on loopback
        hearth = TestHearth.startWarm(env);
        api = new Api(hearth.port());
        token = api.userWithToken("ada");
    }

    @AfterAll
    void stop() {
        hearth.close();
    }

    private Api.Reply invokeAsync(String name, String body, String callback) {
        var headers = new ArrayList<String>(List.of("X-Hearth-Invocation-Type", "async"));
        if (callback != null) {
            headers.addAll(List.of("X-Hearth-Callback-Url", callback));
        }
        return api.send("POST", "/v1/functions/" + name + "/invoke", token, body.getBytes(StandardCharsets.UTF_8),
                headers.toArray(String[]::new));
    }

    private JsonNode awaitStatus(String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode record = null;
        while (System.nanoTime() < deadline) {
            record = api.get("/v1/invocations/" + id, token).json();
            if (status.equals(record.path("status").asText())) {
                return record;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("invocation " + id + " never became " + status + ": " + record);
    }

    @Test
    void asyncCalls_areAcceptedAt202_andAllSucceed() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("double",
                "def handler(event, context):\n    return event['n'] * 2\n")).status());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Api.Reply accepted = invokeAsync("double", "{\"n\":" + i + "}", null);
            assertEquals(202, accepted.status(), accepted::toString);
            assertEquals("queued", accepted.json().get("status").asText());
            ids.add(accepted.header("X-Hearth-Invocation-Id"));
        }
        for (int i = 0; i < ids.size(); i++) {
            JsonNode done = awaitStatus(ids.get(i), "succeeded");
            assertEquals(i * 2, done.get("result").asInt());
            assertEquals(1, done.get("attempts").asInt());
            assertEquals("async", done.get("invocationType").asText());
        }
    }

    @Test
    void aFunctionThatAlwaysFails_isRetriedWithBackoff_thenDeadLettered() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("broken",
                "def handler(event, context):\n    raise ValueError('always')\n")).status());
        String id = invokeAsync("broken", "{}", null).header("X-Hearth-Invocation-Id");
        JsonNode dead = awaitStatus(id, "dead-lettered");
        assertEquals(3, dead.get("attempts").asInt());
        assertEquals("ValueError", dead.get("error").get("type").asText());
        JsonNode history = dead.get("history");
        assertEquals(3, history.size());
        long first = Instant.parse(history.get(1).get("at").asText()).toEpochMilli() - Instant.parse(history.get(0).get("at").asText()).toEpochMilli();
        long second = Instant.parse(history.get(2).get("at").asText()).toEpochMilli() - Instant.parse(history.get(1).get("at").asText()).toEpochMilli();
        assertTrue(first >= 300 && second >= 600, "backoff doubles from 300 ms: " + first + " ms, then " + second + " ms");

        JsonNode letters = api.get("/v1/functions/broken/async?status=dead-lettered", token).json().get("invocations");
        assertEquals(1, letters.size());
        assertEquals(id, letters.get(0).get("id").asText());
        assertEquals(400, api.get("/v1/functions/broken/async?status=lost", token).status());
    }

    @Test
    void theOutcome_isPostedToTheCallbackUrl() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("greet",
                "def handler(event, context):\n    return 'hi ' + event['name']\n")).status());
        BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/done", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/done";
            String id = invokeAsync("greet", "{\"name\":\"Ada\"}", url).header("X-Hearth-Invocation-Id");
            String posted = received.poll(30, TimeUnit.SECONDS);
            assertNotNull(posted, "the callback was called");
            JsonNode outcome = Api.JSON.readTree(posted);
            assertEquals(id, outcome.get("id").asText());
            assertEquals("succeeded", outcome.get("status").asText());
            assertEquals("hi Ada", outcome.get("result").asText());
        } finally {
            receiver.stop(0);
        }
        assertEquals(400, invokeAsync("greet", "{}", "ftp://example/x").status());
        assertEquals(400, api.send("POST", "/v1/functions/greet/invoke", token, "{}".getBytes(),
                "X-Hearth-Invocation-Type", "later").status());
    }

    @Test
    void queuedInvocations_surviveARestart() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("slow",
                "import time\ndef handler(event, context):\n    time.sleep(0.5)\n    return event['i']\n")).status());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(invokeAsync("slow", "{\"i\":" + i + "}", null).header("X-Hearth-Invocation-Id"));
        }
        hearth.close();
        hearth = TestHearth.startWarm(env);
        api = new Api(hearth.port());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, awaitStatus(ids.get(i), "succeeded").get("result").asInt());
        }
    }
}
