package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Async work is shared by users, in embedded mode (issue 13, item 5): one user's sleeping calls
 * and hanging callbacks leave another user's async call to start at once, and a user's backlog is
 * capped with 429.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncFairnessIntegrationTest {

    static final int USER_MAX_QUEUED = 45;
    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", "3")
            .with("HEARTH_ASYNC_USER_MAX_QUEUED", Integer.toString(USER_MAX_QUEUED))
            .with("HEARTH_ASYNC_PRIVATE_CALLBACKS", "true"); // the hanging callback listens on loopback
    Api api;

    @BeforeAll
    void start() {
        api = hearth.api();
    }

    static Api.Reply invokeAsync(Api api, String token, String name, String callback) {
        return callback == null
                ? api.send("POST", "/v1/functions/" + name + "/invoke", token, "{}".getBytes(StandardCharsets.UTF_8),
                        "X-Hearth-Invocation-Type", "async")
                : api.send("POST", "/v1/functions/" + name + "/invoke", token, "{}".getBytes(StandardCharsets.UTF_8),
                        "X-Hearth-Invocation-Type", "async", "X-Hearth-Callback-Url", callback);
    }

    @Test
    void whileOneUsersCallsSleepAndItsCallbacksHang_anotherUsersAsyncCallStartsWithinASecond() throws Exception {
        assertOtherUserStartsPromptly(api, "ann", "bob", 40);
    }

    /**
     * User A fills its share of the workers with sleeping calls, queues many more, and its ended
     * calls' callbacks hang on a listener that never answers; user B's async call must start within
     * 1 s of its submission, by the server's own timestamps.
     */
    static void assertOtherUserStartsPromptly(Api api, String a, String b, int burst) throws Exception {
        String tokenA = api.userWithToken(a);
        String tokenB = api.userWithToken(b);
        assertEquals(201, api.post("/v1/functions", tokenA, Api.pythonSource("nap",
                "import time\ndef handler(event, context):\n    time.sleep(3)\n    return 'rested'\n")).status());
        assertEquals(201, api.post("/v1/functions", tokenB, Api.pythonSource("quick",
                "def handler(event, context):\n    return 'done'\n")).status());
        try (HangingListener hook = new HangingListener()) {
            for (int i = 0; i < burst; i++) {
                Api.Reply accepted = invokeAsync(api, tokenA, "nap", hook.url());
                assertEquals(202, accepted.status(), accepted::toString);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (hook.connections() == 0) {
                assertTrue(System.nanoTime() < deadline, "none of " + a + "'s callbacks reached the hanging listener");
                Thread.sleep(100);
            }
            JsonNode running = api.get("/v1/functions/nap/async?status=running&limit=100", tokenA).json().get("invocations");
            JsonNode queued = api.get("/v1/functions/nap/async?status=queued&limit=100", tokenA).json().get("invocations");
            assertTrue(running.size() >= 1, a + "'s calls are still sleeping");
            assertTrue(queued.size() >= 10, a + " still has many queued: " + queued.size());

            Api.Reply submitted = invokeAsync(api, tokenB, "quick", null);
            assertEquals(202, submitted.status(), submitted::toString);
            String id = submitted.header("X-Hearth-Invocation-Id");
            JsonNode record = null;
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until) {
                record = api.get("/v1/invocations/" + id, tokenB).json();
                if (record.hasNonNull("startedAt")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(record != null && record.hasNonNull("startedAt"), b + "'s call never started: " + record);
            Duration wait = Duration.between(Instant.parse(record.get("createdAt").asText()),
                    Instant.parse(record.get("startedAt").asText()));
            assertTrue(wait.compareTo(Duration.ofSeconds(1)) <= 0, b + "'s call started " + wait.toMillis() + " ms after it was submitted");
        }
    }

    @Test
    void aUsersUnfinishedAsyncCalls_areCappedWith429() throws Exception {
        String token = api.userWithToken("cap");
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("slowly",
                "import time\ndef handler(event, context):\n    time.sleep(5)\n    return 1\n")).status());
        for (int i = 0; i < USER_MAX_QUEUED; i++) {
            Api.Reply accepted = invokeAsync(api, token, "slowly", null);
            assertEquals(202, accepted.status(), accepted::toString);
        }
        Api.Reply refused = invokeAsync(api, token, "slowly", null);
        assertEquals(429, refused.status(), refused::toString);
        assertEquals("throttled", refused.errorType());
        assertEquals("1", refused.header("Retry-After"));
        assertTrue(refused.json().get("error").get("message").asText().contains(Integer.toString(USER_MAX_QUEUED)), refused::toString);
        String other = api.userWithToken("other");
        assertEquals(201, api.post("/v1/functions", other, Api.pythonSource("fine", "def handler(event, context):\n    return 1\n")).status());
        assertEquals(202, invokeAsync(api, other, "fine", null).status(), "the cap is per user");
    }
}
