package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control planes sharing one store, as behind a load balancer, with one pool-manager node:
 * either serves what the other created, a new version made on one is what the other runs at once
 * (not after its route cache expires), and async work submitted to both is shared out and done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlanesIntegrationTest {

    @TempDir
    static Path dir;
    Cluster cluster;
    Api first;
    Api second;
    String token;

    @BeforeAll
    void start() throws Exception {
        cluster = Cluster.start(dir, 2, 1, Map.of());
        first = new Api(cluster.port(0));
        second = new Api(cluster.port(1));
        token = first.userWithToken("barbara");
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNewVersionMadeOnOneControlPlane_isWhatTheOtherRunsAtOnce() throws Exception {
        assertEquals(201, first.post("/v1/functions", token, Api.pythonSource("shared",
                "def handler(event, context):\n    return {'v': 1}\n")).status());
        Api.Reply viaSecond = second.invoke(token, "shared", "{}");
        assertEquals(200, viaSecond.status(), viaSecond::toString);
        assertEquals(1, viaSecond.json().get("v").asInt(), "the second control plane serves what the first created");

        Api.Reply updated = first.put("/v1/functions/shared", token, Api.pythonSource("shared",
                "def handler(event, context):\n    return {'v': 2}\n"));
        assertEquals(200, updated.status(), updated::toString);
        // Its route cache holds version 1 for 5 s; the change message must drop it well before.
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline && seen != 2) {
            seen = second.invoke(token, "shared", "{}").json().get("v").asInt();
        }
        assertEquals(2, seen, "the second control plane runs version 2 within a second of the update");

        assertEquals(204, second.delete("/v1/functions/shared", token).status());
        assertEquals(404, first.invoke(token, "shared", "{}").status(), "a deletion on one is seen by the other");
    }

    @Test
    void asyncWorkSubmittedToBoth_isDone() throws Exception {
        assertEquals(201, first.post("/v1/functions", token, Api.pythonSource("jobs",
                "def handler(event, context):\n    return event\n")).status());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Api api = i % 2 == 0 ? first : second;
            Api.Reply accepted = api.send("POST", "/v1/functions/jobs/invoke", token,
                    ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), "X-Hearth-Invocation-Type", "async");
            assertEquals(202, accepted.status(), accepted::toString);
            ids.add(accepted.header("X-Hearth-Invocation-Id"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < ids.size(); i++) {
            Api api = i % 2 == 0 ? second : first; // each record is read on the other control plane
            while (true) {
                var record = api.get("/v1/invocations/" + ids.get(i), token).json();
                if ("succeeded".equals(record.path("status").asText())) {
                    assertEquals(i, record.get("result").get("i").asInt());
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "async call " + i + " did not succeed: " + record);
                Thread.sleep(100);
            }
        }
    }
}
