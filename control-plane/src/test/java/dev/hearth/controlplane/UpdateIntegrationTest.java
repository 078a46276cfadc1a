package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code PUT /v1/functions/{name}}: a new version serves new calls, calls in flight finish on the
 * old one, and the old version's containers are drained; a version that must be built first
 * takes over only once its build succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpdateIntegrationTest {

    /** Answers its version and its container's hostname, which Docker sets to the container id. */
    static String versioned(int version) {
        return """
                import socket, time
                def handler(event, context):
                    time.sleep(event.get("sleep", 0))
                    return {"v": %d, "host": socket.gethostname(), "fv": context.function_version}
                """.formatted(version);
    }

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "3");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("uma");
    }

    private static boolean containerExists(String hostname) {
        return Docker.CLIENT.listContainersCmd().withShowAll(true).exec().stream().anyMatch(c -> c.getId().startsWith(hostname));
    }

    @Test
    void put_servesTheNewVersion_letsCallsInFlightFinish_andDrainsTheOld() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("versioned", versioned(1))).status());

        // Two containers of version 1: one busy for 3 s, one idle.
        var inFlight = CompletableFuture.supplyAsync(() -> api.invoke(token, "versioned", "{\"sleep\": 3}"));
        Thread.sleep(500);
        Api.Reply idleOne = api.invoke(token, "versioned", "{}");
        assertEquals(1, idleOne.json().get("v").asInt(), idleOne::toString);
        String idleHost = idleOne.json().get("host").asText();

        Api.Reply updated = api.put("/v1/functions/versioned", token, Api.pythonSource("versioned", versioned(2)));
        assertEquals(200, updated.status(), updated::toString);
        assertEquals(2, updated.json().get("version").asInt());

        Api.Reply after = api.invoke(token, "versioned", "{}");
        assertEquals(200, after.status(), after::toString);
        assertEquals(2, after.json().get("v").asInt(), "new calls run the new code");
        assertEquals("2", after.json().get("fv").asText(), "the handler sees its version");
        assertNotEquals(idleHost, after.json().get("host").asText());

        Api.Reply finished = inFlight.get();
        assertEquals(200, finished.status(), "the call in flight was not killed: " + finished);
        assertEquals(1, finished.json().get("v").asInt(), "and it finished on the version it started on");
        String busyHost = finished.json().get("host").asText();

        assertTrue(Docker.eventually(Duration.ofSeconds(10), () -> !containerExists(idleHost)), "the idle old container is removed");
        assertTrue(Docker.eventually(Duration.ofSeconds(10), () -> !containerExists(busyHost)), "the busy one after its call");
        JsonNode record = api.record(token, after);
        assertEquals(2, record.get("version").asInt());
    }

    @Test
    void put_thatNeedsABuild_keepsTheOldVersionServing_untilTheBuildSucceeds() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("built", versioned(1))).status());
        assertEquals(1, api.invoke(token, "built", "{}").json().get("v").asInt());

        // A dependency no reachable index has: the build fails and version 1 keeps serving.
        Api.Reply broken = api.put("/v1/functions/built", token, Api.pythonArchive("built", Map.of(
                "requirements.txt", "./missing-package\n", "main.py", versioned(2))));
        assertEquals(202, broken.status(), broken::toString);
        assertEquals("building", broken.json().get("update").get("status").asText());
        JsonNode failed = awaitUpdate("built", "failed");
        assertEquals(1, failed.get("version").asInt());
        assertEquals("ready", failed.get("status").asText());
        assertTrue(api.get("/v1/functions/built/build", token).text().contains("missing-package"), "the failed build's log is shown");
        assertEquals(1, api.invoke(token, "built", "{}").json().get("v").asInt(), "version 1 still serves");

        Api.Reply good = api.put("/v1/functions/built", token, Api.pythonArchive("built", Map.of(
                "requirements.txt", "./vendor/greet\n",
                "vendor/greet/setup.py", "from setuptools import setup\nsetup(name='greet', version='1.0', packages=['greet'])\n",
                "vendor/greet/greet/__init__.py", "V = 3\n",
                "main.py", "import greet\ndef handler(event, context):\n    return {'v': greet.V}\n")));
        assertEquals(202, good.status(), good::toString);
        JsonNode promoted = awaitUpdate("built", null);
        assertEquals(3, promoted.get("version").asInt(), "the failed attempt used version 2");
        assertEquals(3, api.invoke(token, "built", "{}").json().get("v").asInt());
    }

    /** Polls until the pending update has the status, or (null) until none is pending. */
    private JsonNode awaitUpdate(String name, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode function = api.get("/v1/functions/" + name, token).json();
            JsonNode update = function.get("update");
            if (status == null ? update == null : update != null && status.equals(update.get("status").asText())) {
                return function;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " never reached update status " + status);
    }

    @Test
    void put_canTurnASourceFunctionIntoAnImage_andRefusesMistakes() {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("shifty", versioned(1))).status());
        Api.Reply toImage = api.put("/v1/functions/shifty", token, Map.of("image", "hearth/example-rev", "contract", "exec"));
        assertEquals(200, toImage.status(), toImage::toString);
        assertEquals("\"cba\"", api.invoke(token, "shifty", "abc").text());

        assertEquals(400, api.put("/v1/functions/shifty", token, Api.pythonSource("other-name", versioned(1))).status(),
                "a function cannot be renamed");
        assertEquals(404, api.put("/v1/functions/nobody", token, Api.pythonSource("nobody", versioned(1))).status());
        String other = api.userWithToken("vic");
        assertEquals(404, api.put("/v1/functions/shifty", other, Api.pythonSource("shifty", versioned(9))).status(),
                "another user's function is not found");
        assertEquals(400, api.put("/v1/functions/shifty", token, Map.of("image", "hearth-test/nope:1", "contract", "exec")).status());
        assertEquals("\"cba\"", api.invoke(token, "shifty", "abc").text(), "refused updates changed nothing");
    }
}
