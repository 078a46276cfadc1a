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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control planes sharing one store, as behind a load balancer, with one pool-manager node:
 * either serves what the other created, a new version made on one is what the other runs at once
 * (not after its route cache expires), async work submitted to both is shared out and done, and
 * the async work of a control plane killed midway is done by the other. The kill comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlanesIntegrationTest {

    @TempDir
    static Path dir;
    Cluster cluster;
    Api first;
    Api second;
    String token;

    @BeforeAll
    void start() throws Exception {
        // Two workers each, so both control planes hold jobs; a short ack wait, so a dead one's jobs come back soon.
        cluster = Cluster.start(dir, 2, 1, Map.of("HEARTH_ASYNC_WORKERS", "2",
                // One user here, allowed every worker: the test is of failover, not of sharing.
                "HEARTH_ASYNC_USER_MAX_RUNNING", "2", "HEARTH_ASYNC_ACK_WAIT_SECONDS", "4"));
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
    @Order(0)
    void aTokenRevokedOnOneControlPlane_isRefusedByTheOtherAtOnce() {
        var issued = second.post("/v1/tokens", null, Map.of("username", "barbara", "password", "correct horse battery"));
        assertEquals(201, issued.status(), issued::toString);
        String revoked = issued.json().get("token").asText();
        assertEquals(200, second.get("/v1/functions", revoked).status(), "cached on the second control plane");
        assertEquals(204, first.delete("/v1/tokens/" + issued.json().get("id").asText(), token).status());
        assertEquals(401, second.get("/v1/functions", revoked).status(), "the second refuses it on the next call");
        assertEquals(200, second.get("/v1/functions", token).status());
    }

    @Test
    @Order(1)
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
    @Order(2)
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

    @Test
    @Order(3)
    void asyncJobsOfAControlPlaneKilledMidway_areDoneByTheOther() throws Exception {
        assertEquals(201, first.post("/v1/functions", token, Api.pythonSource("slowjob",
                "import time\ndef handler(event, context):\n    time.sleep(2)\n    return event\n")).status());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Api.Reply accepted = first.send("POST", "/v1/functions/slowjob/invoke", token,
                    ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), "X-Hearth-Invocation-Type", "async");
            assertEquals(202, accepted.status(), accepted::toString);
            ids.add(accepted.header("X-Hearth-Invocation-Id"));
        }
        // Four running at once means each control plane (two workers each) holds two.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (countRunning(ids) < 4) {
            assertTrue(System.nanoTime() < deadline, "both control planes never ran jobs at once");
            Thread.sleep(50);
        }
        cluster.kill(cluster.controlPlaneId());

        deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (int i = 0; i < ids.size(); i++) {
            while (true) {
                var record = second.get("/v1/invocations/" + ids.get(i), token).json();
                if ("succeeded".equals(record.path("status").asText())) {
                    assertEquals(i, record.get("result").get("i").asInt());
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "job " + i + " was lost with its control plane: " + record);
                Thread.sleep(200);
            }
        }
    }

    private int countRunning(List<String> ids) {
        int running = 0;
        for (String id : ids) {
            if ("running".equals(second.get("/v1/invocations/" + id, token).json().path("status").asText())) {
                running++;
            }
        }
        return running;
    }
}
