package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed mode with every part a real process: nats-server (JetStream), one control plane and
 * two pool-manager nodes. Calls spread over the nodes and stay warm where their instance is; an
 * alias shifted by weights runs each version as weighted, each staying warm where its instance is;
 * async invocations survive a node killed with SIGKILL; a failing one is dead-lettered after its
 * retries. Another user's async call starts at once beside one user's backlog. The node kill comes
 * last, so the earlier tests see both nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedIntegrationTest {

    @TempDir
    static Path dir;
    Cluster cluster;
    Api api;
    String token;
    LoopbackListener registry;

    @BeforeAll
    void start() throws Exception {
        registry = LoopbackListener.open();
        cluster = Cluster.start(dir, 2, Map.of(
                "HEARTH_ASYNC_MAX_ATTEMPTS", "3",
                "HEARTH_ASYNC_RETRY_BASE_MS", "400",
                "HEARTH_ASYNC_WORKERS", "16",
                "HEARTH_ASYNC_PRIVATE_CALLBACKS", "true", // the hanging callback listens on loopback
                // Listed, so the nodes' address rule is what must refuse it.
                "HEARTH_REGISTRIES", "127.0.0.1:" + registry.port()));
        api = new Api(cluster.port());
        token = api.userWithToken("grace");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        registry.close();
    }

    private void create(String name, String code) {
        Api.Reply created = api.post("/v1/functions", token, Api.pythonSource(name, code));
        assertEquals(201, created.status(), created::toString);
    }

    private Api.Reply invokeAsync(String name, String body) {
        return api.send("POST", "/v1/functions/" + name + "/invoke", token, body.getBytes(StandardCharsets.UTF_8),
                "X-Hearth-Invocation-Type", "async");
    }

    @Test
    @Order(1)
    void syncCalls_spreadOverBothNodes_andRepeatCallsStayWarmWhereTheirInstanceIs() {
        assertEquals(Set.copyOf(cluster.nodes()), liveNodes(), "the control plane sees both nodes");
        Set<String> nodesUsed = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            int fn = i;
            create("spread" + i, "def handler(event, context):\n    return {'fn': " + i + ", 'event': event}\n");
            Api.Reply first = api.invoke(token, "spread" + i, "{\"n\":" + i + "}");
            assertEquals(200, first.status(), first::toString);
            assertEquals(i, first.json().get("fn").asInt());
            String node = first.header("X-Hearth-Node");
            assertTrue(cluster.nodes().contains(node), "served by a known node: " + node);
            nodesUsed.add(node);
            for (int repeat = 0; repeat < 5; repeat++) {
                Api.Reply again = api.invoke(token, "spread" + i, "{\"repeat\":" + repeat + "}");
                assertEquals(200, again.status(), again::toString);
                String firstNode = node;
                assertEquals("warm", again.header("X-Hearth-Start"), () -> "repeat call of spread" + fn + " is warm; first on "
                        + firstNode + ", this one on " + again.header("X-Hearth-Node") + ", live nodes " + liveNodes());
                assertEquals(node, again.header("X-Hearth-Node"), "repeat call of spread" + i + " stays on " + node);
            }
        }
        assertEquals(Set.copyOf(cluster.nodes()), nodesUsed, "first calls went to both nodes");
        // The invocation record names the node too.
        JsonNode recent = api.get("/v1/functions/spread0/invocations?limit=1", token).json();
        assertTrue(cluster.nodes().contains(recent.get("invocations").get(0).get("node").asText()), recent::toString);
    }

    /** Answers its version, the version its context names, and its container's hostname (Docker's container id). */
    private static ObjectNode canary(int n) {
        return Api.pythonSource("canary", """
                import socket
                def handler(event, context):
                    return {"v": %d, "fv": context.function_version, "host": socket.gethostname()}
                """.formatted(n));
    }

    private Api.Reply callCanary(String qualifier) {
        return api.send("POST", "/v1/functions/canary/invoke?qualifier=" + qualifier, token, "{}".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Issue 15 over NATS: calls on an alias shifted by weights run each version as often as
     * weighted, and each version stays on the node and container that hold its warm instance.
     * Calls go one at a time, so each version needs one container: after a version's first call
     * every call of it finds that container idle and must be warm there.
     */
    @Test
    @Order(2)
    void aShiftedAlias_spreadsCallsAsWeighted_andEachVersionStaysWarmOnItsNode() {
        assertEquals(201, api.post("/v1/functions", token, canary(1)).status());
        for (int n = 2; n <= 3; n++) {
            Api.Reply put = api.put("/v1/functions/canary", token, canary(n));
            assertEquals(200, put.status(), put::toString);
            assertEquals(n, put.json().get("version").asInt(), put::toString);
        }
        Api.Reply shifted = api.put("/v1/functions/canary/aliases/live", token, Map.of("version", 1, "weights", Map.of("2", 0.3)));
        assertEquals(200, shifted.status(), shifted::toString);

        int calls = 300;
        Map<Integer, Integer> ran = new HashMap<>();
        Map<Integer, String> nodeOf = new HashMap<>();
        Map<Integer, String> hostOf = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            Api.Reply reply = callCanary("live");
            assertEquals(200, reply.status(), reply::toString);
            int v = reply.json().get("v").asInt();
            assertTrue(v == 1 || v == 2, "the alias runs version 1 or 2: " + reply);
            assertEquals(Integer.toString(v), reply.header("X-Hearth-Version"), "the header names the version that ran");
            assertEquals(v, reply.json().get("fv").asInt(), "the handler sees the version it runs as");
            assertEquals("live", reply.header("X-Hearth-Alias"));
            String node = reply.header("X-Hearth-Node");
            String host = reply.json().get("host").asText();
            assertTrue(cluster.nodes().contains(node), "served by a known node: " + node);
            if (ran.merge(v, 1, Integer::sum) == 1) {
                nodeOf.put(v, node);
                hostOf.put(v, host);
                continue;
            }
            String where = "call " + i + " of version " + v;
            assertEquals("warm", reply.header("X-Hearth-Start"), where + " after its first is warm");
            assertEquals(nodeOf.get(v), node, where + " stays on the node holding its warm instance");
            assertEquals(hostOf.get(v), host, where + " runs in the container its first call started");
        }
        double share = ran.getOrDefault(2, 0) / (double) calls;
        assertTrue(Math.abs(share - 0.3) <= 0.08, "version 2 ran " + ran + " of " + calls + " calls");

        assertEquals(200, api.put("/v1/functions/canary/aliases/live", token, Map.of("version", 2)).status());
        Api.Reply repointed = callCanary("live");
        assertEquals(200, repointed.status(), repointed::toString);
        assertEquals(2, repointed.json().get("v").asInt());
        assertEquals("2", repointed.header("X-Hearth-Version"));
        assertEquals("warm", repointed.header("X-Hearth-Start"), "the first call after the repoint finds version 2 warm");
        assertEquals(nodeOf.get(2), repointed.header("X-Hearth-Node"), "on the node that already had version 2");
        assertEquals(hostOf.get(2), repointed.json().get("host").asText());

        Api.Reply third = callCanary("3");
        assertEquals(200, third.status(), third::toString);
        assertEquals(3, third.json().get("v").asInt());
        assertEquals("3", third.header("X-Hearth-Version"));
        assertNull(third.header("X-Hearth-Alias"), "a numbered call names no alias");
        assertTrue(cluster.nodes().contains(third.header("X-Hearth-Node")), third::toString);
        Api.Reply unknown = callCanary("9");
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("not_found", unknown.errorType());
    }

    /** The control plane only forwards the check over NATS: the node that would pull holds the rule. */
    @Test
    @Order(2)
    void aLoopbackRegistry_isRefusedByTheNode_andNeverContacted() {
        String image = "127.0.0.1:" + registry.port() + "/x/y:1";
        Api.Reply refused = api.post("/v1/functions", token, Api.image("loopback", image, "exec"));
        assertEquals(400, refused.status(), refused::toString);
        assertEquals("unknown_image", refused.errorType());
        assertEquals("the image '" + image + "' is not on this node, and its registry 127.0.0.1:" + registry.port()
                + " is at a loopback, private or link-local address; build or load the image on the node first",
                refused.json().get("error").get("message").asText());
        assertEquals(404, api.get("/v1/functions/loopback", token).status());
        assertEquals(0, registry.connections(), "no node's daemon connected to the loopback port");
    }

    @Test
    @Order(2)
    void aFunctionKeptWarm_isProvisionedOnANode_andItsFirstCallIsWarm() throws Exception {
        int warmBefore = settledWarm();
        var body = Api.pythonSource("ready", "def handler(event, context):\n    return {'ok': True}\n").put("minWarm", 1);
        Api.Reply created = api.post("/v1/functions", token, body);
        assertEquals(201, created.status(), created::toString);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.get("/healthz", null).json().get("warm").asInt() < warmBefore + 1) {
            assertTrue(System.nanoTime() < deadline, "the kept container never showed up: " + api.get("/healthz", null).text());
            Thread.sleep(200);
        }
        Api.Reply first = api.invoke(token, "ready", "{}");
        assertEquals(200, first.status(), first::toString);
        assertEquals("warm", first.header("X-Hearth-Start"), "the first call finds the kept container");
    }

    /**
     * The control plane's count of idle containers once the nodes' announcements (every second)
     * have caught up with its own bookkeeping: an announcement that crosses a call's answer can
     * count that call's container twice until the next one.
     */
    private int settledWarm() throws InterruptedException {
        int previous = -1;
        for (int read = 0; read < 10; read++) {
            int now = api.get("/healthz", null).json().get("warm").asInt();
            if (now == previous) {
                return now;
            }
            previous = now;
            Thread.sleep(1_200);
        }
        return previous;
    }

    /** The JetStream half of issue 13's must-show: fetching past one user's backlog lets another's job in at once. */
    @Test
    @Order(3)
    void whileOneUsersCallsSleepAndItsCallbacksHang_anotherUsersAsyncCallStartsWithinASecond() throws Exception {
        AsyncFairnessIntegrationTest.assertOtherUserStartsPromptly(api, "ann", "bob", 60);
    }

    @Test
    @Order(3)
    void alwaysFailingAsyncCall_isRetriedWithBackoff_thenDeadLettered() throws Exception {
        create("doomed", "def handler(event, context):\n    raise ValueError('never works')\n");
        Api.Reply accepted = invokeAsync("doomed", "{}");
        assertEquals(202, accepted.status(), accepted::toString);
        String id = accepted.header("X-Hearth-Invocation-Id");
        JsonNode record = awaitEnd(id, Duration.ofSeconds(60));
        assertEquals("dead-lettered", record.get("status").asText(), record::toString);
        assertEquals(3, record.get("attempts").asInt());
        assertEquals("ValueError", record.get("error").get("type").asText());
        JsonNode history = record.get("history");
        assertEquals(3, history.size());
        Duration firstGap = Duration.between(Instant.parse(history.get(0).get("at").asText()), Instant.parse(history.get(1).get("at").asText()));
        Duration secondGap = Duration.between(Instant.parse(history.get(1).get("at").asText()), Instant.parse(history.get(2).get("at").asText()));
        assertTrue(firstGap.toMillis() >= 400, "first retry after the 400 ms base: " + firstGap);
        assertTrue(secondGap.toMillis() >= 800, "second retry after twice the base: " + secondGap);
        JsonNode letters = api.get("/v1/functions/doomed/async?status=dead-lettered", token).json().get("invocations");
        assertEquals(1, letters.size());
        assertEquals(id, letters.get(0).get("id").asText());
    }

    @Test
    @Order(4)
    void asyncCalls_allSucceed_whileANodeIsKilled_andSyncCallsKeepWorking() throws Exception {
        create("steady", "import time\ndef handler(event, context):\n    time.sleep(0.3)\n    return {'i': event['i']}\n");
        String victim = cluster.nodes().get(1);
        List<String> ids = new ArrayList<>();
        var refused = new ConcurrentLinkedQueue<String>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int n = i;
                sent.add(senders.submit(() -> {
                    Api.Reply reply = invokeAsync("steady", "{\"i\":" + n + "}");
                    if (reply.status() != 202) {
                        refused.add(reply.toString());
                    }
                    return reply.header("X-Hearth-Invocation-Id");
                }));
                if (i == 150) {
                    // Kill the victim while it is running some of them.
                    awaitServedBy(victim, sent.subList(0, 100));
                    cluster.kill(victim);
                }
            }
            for (Future<String> future : sent) {
                ids.add(future.get());
            }
        } finally {
            senders.shutdownNow();
        }
        assertTrue(refused.isEmpty(), "every async call accepted with 202: " + refused);
        assertEquals(300, new HashSet<>(ids).size());

        for (int i = 0; i < 5; i++) {
            Api.Reply sync = api.invoke(token, "steady", "{\"i\":" + (1000 + i) + "}");
            assertEquals(200, sync.status(), sync::toString);
            assertEquals(1000 + i, sync.json().get("i").asInt());
            assertEquals(cluster.nodes().get(0), sync.header("X-Hearth-Node"), "only the live node serves now");
        }

        long gone = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!liveNodes().equals(Set.of(cluster.nodes().get(0))) && System.nanoTime() < gone) {
            Thread.sleep(200);
        }
        assertEquals(Set.of(cluster.nodes().get(0)), liveNodes(), "the killed node is no longer live");

        Set<String> pending = new HashSet<>(ids);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (String id : List.copyOf(pending)) {
                JsonNode record = api.get("/v1/invocations/" + id, token).json();
                String status = record.get("status").asText();
                assertTrue(!status.equals("dead-lettered"), "no async call may be lost: " + record);
                if (status.equals("succeeded")) {
                    pending.remove(id);
                }
            }
            Thread.sleep(500);
        }
        assertTrue(pending.isEmpty(), pending.size() + " async calls did not succeed; control plane log:\n" + cluster.tail(cluster.controlPlaneId()));
    }

    private Set<String> liveNodes() {
        Set<String> live = new HashSet<>();
        api.get("/healthz", null).json().get("nodes").forEach(n -> live.add(n.asText()));
        return live;
    }

    /** Waits until one of these async calls has run on {@code node}. */
    private void awaitServedBy(String node, List<Future<String>> sent) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (Future<String> future : sent) {
                JsonNode record = api.get("/v1/invocations/" + future.get(), token).json();
                for (JsonNode step : record.path("history")) {
                    if (node.equals(step.path("node").asText())) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no async call ran on " + node + " within 60 s");
    }

    private JsonNode awaitEnd(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode record = null;
        while (System.nanoTime() < deadline) {
            record = api.get("/v1/invocations/" + id, token).json();
            String status = record.path("status").asText();
            if (status.equals("succeeded") || status.equals("dead-lettered")) {
                return record;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("invocation " + id + " did not end: " + record);
    }
}
