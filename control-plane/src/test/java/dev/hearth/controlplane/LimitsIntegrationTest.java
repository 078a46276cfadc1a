package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency limits per function (changeable with PATCH) and per user, proven by the handlers' own clocks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsIntegrationTest {

    static final String SLEEPER = """
            import time
            def handler(event, context):
                started = time.time()
                time.sleep(event.get("sleep", 0))
                return [started, time.time()]
            """;

    @TempDir
    static Path data;
    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", "3")
            .with("HEARTH_USER_CONCURRENCY", "4");
    Api api;
    String token;
    ExecutorService clients = Executors.newFixedThreadPool(8);

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("lena");
    }

    @AfterAll
    void stop() {
        clients.shutdownNow();
    }

    private List<Api.Reply> together(int n, String function, String event) throws Exception {
        List<Future<Api.Reply>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<Api.Reply> call = () -> api.invoke(token, function, event);
            futures.add(clients.submit(call));
        }
        List<Api.Reply> replies = new ArrayList<>();
        for (Future<Api.Reply> f : futures) {
            replies.add(f.get());
        }
        return replies;
    }

    /** The most handlers that ran at the same moment, from their own start and end times. */
    private static int maxOverlap(List<Api.Reply> replies) {
        List<double[]> spans = new ArrayList<>();
        for (Api.Reply r : replies) {
            if (r.status() == 200) {
                JsonNode span = r.json();
                spans.add(new double[] {span.get(0).asDouble(), span.get(1).asDouble()});
            }
        }
        int max = 0;
        for (double[] s : spans) {
            int running = 0;
            for (double[] other : spans) {
                if (other[0] <= s[0] && s[0] < other[1]) {
                    running++;
                }
            }
            max = Math.max(max, running);
        }
        return max;
    }

    private static void assertOkOrThrottled(List<Api.Reply> replies) {
        for (Api.Reply r : replies) {
            assertTrue(r.status() == 200 || r.status() == 429, r::toString);
            if (r.status() == 429) {
                assertEquals("throttled", r.errorType());
                assertEquals("1", r.header("Retry-After"));
            }
        }
    }

    @Test
    void functionConcurrency_neverRunsMoreThanItsLimit() throws Exception {
        var body = Api.pythonSource("pair", SLEEPER).put("concurrency", 2).put("timeoutMs", 5000);
        assertEquals(201, api.post("/v1/functions", token, body).status());

        List<Api.Reply> replies = together(6, "pair", "{\"sleep\":0.3}");
        assertOkOrThrottled(replies);
        assertTrue(replies.stream().filter(r -> r.status() == 200).count() >= 2, replies::toString);
        assertTrue(maxOverlap(replies) <= 2, "more than 2 ran at once: " + replies);
    }

    @Test
    void patch_changesTheLimitForTheNextCalls() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("solo", SLEEPER).put("timeoutMs", 5000)).status());
        Api.Reply patched = api.send("PATCH", "/v1/functions/solo", token, "{\"concurrency\":1}".getBytes());
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(1, patched.json().get("concurrency").asInt());
        assertEquals(1, api.get("/v1/functions/solo", token).json().get("concurrency").asInt());

        List<Api.Reply> replies = together(3, "solo", "{\"sleep\":1.5}");
        assertOkOrThrottled(replies);
        assertEquals(1, maxOverlap(replies), replies::toString);
        assertTrue(replies.stream().anyMatch(r -> r.status() == 429), "a call waiting past the queue time is refused");

        assertEquals(400, api.send("PATCH", "/v1/functions/solo", token, "{\"concurrency\":-1}".getBytes()).status());
        assertEquals(400, api.send("PATCH", "/v1/functions/solo", token, "{}".getBytes()).status());
        String other = api.userWithToken("otto");
        assertEquals(404, api.send("PATCH", "/v1/functions/solo", other, "{\"concurrency\":5}".getBytes()).status());
    }

    @Test
    void memoryBudget_isNeverOverCommitted() throws Exception {
        var env = TestHearth.settings(data.resolve("budget"));
        env.put("HEARTH_POOL_PYTHON", "1");
        env.put("HEARTH_MAX_CONTAINER_MEMORY_MB", "384");
        String node = env.get("HEARTH_NODE_ID");
        try (Hearth small = TestHearth.startWarm(env)) {
            var local = new Api(small.port());
            String me = local.userWithToken("budget");
            for (String name : new String[] {"big1", "big2"}) {
                var body = Api.pythonSource(name, SLEEPER).put("memoryMb", 256).put("timeoutMs", 5000);
                assertEquals(201, local.post("/v1/functions", me, body).status());
            }
            Future<Api.Reply> busy = clients.submit(() -> local.invoke(me, "big1", "{\"sleep\":2}"));
            Thread.sleep(700);
            Api.Reply refused = local.invoke(me, "big2", "{}");
            assertEquals(429, refused.status(), "256 + 256 MiB do not fit in 384: " + refused);
            long committed = Docker.containersOf(node).stream().mapToLong(LimitsIntegrationTest::memoryLimit).sum();
            assertTrue(committed <= 384L * 1024 * 1024, "containers' limits add up to " + committed);
            assertEquals(200, busy.get().status());
            Api.Reply after = local.invoke(me, "big2", "{}");
            assertEquals(200, after.status(), "the idle 256 MiB container makes room: " + after);
        }
    }

    /** A container's memory limit; one removed between listing and inspecting it holds none. */
    private static long memoryLimit(com.github.dockerjava.api.model.Container container) {
        try {
            return Docker.CLIENT.inspectContainerCmd(container.getId()).exec().getHostConfig().getMemory();
        } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
            return 0;
        }
    }

    @Test
    void burstOnAFullNode_waitsForContainersToComeFree_insteadOfRefusing() throws Exception {
        var env = TestHearth.settings(data.resolve("burst"));
        env.put("HEARTH_POOL_PYTHON", "1");
        env.put("HEARTH_MAX_CONTAINERS", "3");
        String node = env.get("HEARTH_NODE_ID");
        try (Hearth small = TestHearth.startWarm(env)) {
            var local = new Api(small.port());
            String me = local.userWithToken("burst");
            assertEquals(201, local.post("/v1/functions", me, Api.pythonSource("burst", SLEEPER)).status());
            List<Future<Api.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(clients.submit(() -> local.invoke(me, "burst", "{\"sleep\":0.05}")));
            }
            List<Api.Reply> replies = new ArrayList<>();
            for (Future<Api.Reply> f : futures) {
                replies.add(f.get());
            }
            // Eight calls, room for three containers: the calls take turns on them, none is refused.
            replies.forEach(r -> assertEquals(200, r.status(), r::toString));
            assertTrue(replies.stream().anyMatch(r -> "warm".equals(r.header("X-Hearth-Start"))), replies::toString);
            assertTrue(maxOverlap(replies) <= 3, replies::toString);
            assertTrue(Docker.containersOf(node).size() <= 3, "never more containers than the node may run");
        }
    }

    @Test
    void userConcurrency_capsAllOfAUsersFunctionsTogether() throws Exception {
        List<Future<Api.Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "many" + i;
            assertEquals(201, api.post("/v1/functions", token, Api.pythonSource(name, SLEEPER).put("timeoutMs", 5000)).status());
        }
        for (int i = 0; i < 6; i++) {
            String name = "many" + i;
            futures.add(clients.submit(() -> api.invoke(token, name, "{\"sleep\":1.5}")));
        }
        List<Api.Reply> replies = new ArrayList<>();
        for (Future<Api.Reply> f : futures) {
            replies.add(f.get());
        }
        assertOkOrThrottled(replies);
        assertTrue(maxOverlap(replies) <= 4, replies::toString);
        assertTrue(replies.stream().anyMatch(r -> r.status() == 429
                && r.json().get("error").get("message").asText().contains("your maximum")), replies::toString);
    }
}
