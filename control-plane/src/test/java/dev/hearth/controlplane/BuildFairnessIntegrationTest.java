package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Build slots shared between users, against the real engine with the default settings (two
 * slots, one running build per user): one user's slow builds never hold up another user's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildFairnessIntegrationTest {

    /** How long each of the busy user's builds sleeps in its npm {@code preinstall} script. */
    static final int SLEEP_MS = 30_000;
    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm();
    Api api;
    String busy;
    String other;

    @BeforeAll
    void start() {
        api = hearth.api();
        busy = api.userWithToken("busy");
        other = api.userWithToken("other");
    }

    /** A Node function whose build runs {@code script} (tenant code, in the builder) before npm installs it. */
    private static ObjectNode nodeBuild(String name, String script) {
        return Api.archive(name, "node", "index.handler", Map.of(
                "package.json", "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"scripts\":{\"preinstall\":\"" + script + "\"}}",
                "index.js", "exports.handler = async (event) => event;\n"));
    }

    private JsonNode build(String token, String name) {
        Api.Reply reply = api.get("/v1/functions/" + name + "/build", token);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    /** Polls the build until {@code until} holds, every 50 ms, for at most {@code limit}. */
    private JsonNode awaitBuild(String token, String name, Duration limit, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode seen = build(token, name);
        while (!until.test(seen) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = build(token, name);
        }
        return seen;
    }

    private static boolean started(JsonNode build) {
        return !"queued".equals(build.get("status").asText());
    }

    private static Instant at(JsonNode build, String field) {
        return Instant.parse(build.get(field).asText());
    }

    @Test
    void whileOneUsersTwoBuildsRun_anotherUsersBuildStartsAtOnce_andTheWaitIsReportedApart() throws Exception {
        String sleep = "sleep " + SLEEP_MS / 1000;
        assertEquals(202, api.post("/v1/functions", busy, nodeBuild("slow-1", sleep)).status());
        assertEquals(202, api.post("/v1/functions", busy, nodeBuild("slow-2", sleep)).status());
        JsonNode first = awaitBuild(busy, "slow-1", Duration.ofSeconds(30), BuildFairnessIntegrationTest::started);
        assertEquals("building", first.get("status").asText(), first::toString);
        JsonNode second = build(busy, "slow-2");
        assertEquals("queued", second.get("status").asText(), "one running build per user: " + second);

        long posted = System.nanoTime();
        Api.Reply created = api.post("/v1/functions", other, nodeBuild("quick", "true"));
        assertEquals(202, created.status(), created::toString);
        JsonNode quick = awaitBuild(other, "quick", Duration.ofSeconds(10), BuildFairnessIntegrationTest::started);
        long seenMs = (System.nanoTime() - posted) / 1_000_000;
        assertTrue(started(quick), "the other user's build is still queued after 10 s: " + quick);
        assertTrue(quick.get("queuedMs").asLong() <= 1_000, "it started within 1 s of being asked for: " + quick);
        assertTrue(seenMs <= 3_000, "and the client saw it start within " + seenMs + " ms");

        // A newer definition of the queued function takes its place: the sleeping source is never built.
        Api.Reply redefined = api.put("/v1/functions/slow-2", busy, nodeBuild("slow-2", "true"));
        assertEquals(202, redefined.status(), redefined::toString);

        assertEquals("ready", api.awaitBuilt(other, "quick").get("status").asText(), () -> build(other, "quick").toString());
        quick = build(other, "quick");
        assertEquals("building", build(busy, "slow-1").get("status").asText(),
                "the other user's build ended while the busy user's first one still sleeps: " + quick);

        assertEquals("ready", api.awaitBuilt(busy, "slow-1").get("status").asText());
        JsonNode slow = awaitBuild(busy, "slow-1", Duration.ofSeconds(5), b -> b.has("durationMs"));
        assertTrue(slow.get("durationMs").asLong() >= SLEEP_MS, slow::toString);

        JsonNode function = api.awaitBuilt(busy, "slow-2");
        assertEquals("ready", function.get("status").asText(), () -> build(busy, "slow-2").toString());
        assertEquals(2, function.get("version").asInt(), function::toString);
        JsonNode redone = build(busy, "slow-2");
        assertEquals("succeeded", redone.get("status").asText(), redone::toString);
        assertTrue(!at(redone, "startedAt").isBefore(at(slow, "finishedAt")), "it waited for its owner's running build: " + redone);
        long queuedMs = redone.get("queuedMs").asLong();
        long durationMs = redone.get("durationMs").asLong();
        assertTrue(queuedMs >= SLEEP_MS - 10_000, "the wait is reported: " + redone);
        assertTrue(durationMs < SLEEP_MS, "the builder's own time, without the wait or the superseded sleep: " + redone);
        assertEquals(at(redone, "finishedAt").toEpochMilli() - at(redone, "queuedAt").toEpochMilli(), queuedMs + durationMs);
    }
}
