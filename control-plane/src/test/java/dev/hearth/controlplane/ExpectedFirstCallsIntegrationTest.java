package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * New versions' first calls are expected, on the real engine: each function deployed and not yet
 * called holds one pre-started container ahead of its first call (up to the ceiling), so a
 * handful of functions deployed and then called once each are all served {@code pool} (the
 * issue's "a new user drained the pool of 3, and the next first call was cold"). Bounded polls
 * only; nothing here is timed.
 */
class ExpectedFirstCallsIntegrationTest {

    static final int FLOOR = 1;
    static final int CEILING = 4;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", Integer.toString(FLOOR))
            .with("HEARTH_POOL_MAX_PYTHON", Integer.toString(CEILING))
            .with("HEARTH_POOL_WINDOW_MS", "60000");

    /** Polls until the pool holds {@code wanted} (at most 60 s); returns the most it held meanwhile. */
    int awaitPool(Api api, int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int peak = api.prewarmed("python");
        while (peak < wanted && System.nanoTime() < deadline) {
            Thread.sleep(50);
            peak = Math.max(peak, api.prewarmed("python"));
        }
        return peak;
    }

    @Test
    void functionsDeployedThenCalledOnceEach_areAllServedFromThePool_andTheCeilingHolds() throws Exception {
        Api api = hearth.api();
        String token = api.userWithToken("deployer");
        assertEquals(FLOOR, api.prewarmed("python"), "at rest the pool is at its floor");

        for (int i = 0; i < CEILING - FLOOR; i++) {
            Api.Reply created = api.post("/v1/functions", token, Api.pythonSource("fn" + i, Api.PYTHON_HELLO));
            assertEquals(201, created.status(), created.toString());
        }
        assertEquals(CEILING, awaitPool(api, CEILING), "the floor and one container for each first call to come");

        for (int i = 0; i < CEILING - FLOOR; i++) {
            Api.Reply called = api.invoke(token, "fn" + i, "{}");
            assertEquals(200, called.status(), called.toString());
            assertEquals("\"hello\"", called.text());
            assertEquals("pool", called.header("X-Hearth-Start"), "fn" + i + "'s first call");
        }

        // Many more deploys than the ceiling: the pool fills to it and no further.
        for (int i = 0; i < 3 * CEILING; i++) {
            Api.Reply created = api.post("/v1/functions", token, Api.pythonSource("more" + i, Api.PYTHON_HELLO));
            assertEquals(201, created.status(), created.toString());
        }
        int peak = awaitPool(api, CEILING);
        assertEquals(CEILING, peak, "grown to its ceiling");
        for (int i = 0; i < 20; i++) {
            Thread.sleep(50);
            peak = Math.max(peak, api.prewarmed("python"));
        }
        assertTrue(peak <= CEILING, "never past its ceiling of " + CEILING + " (peak " + peak + ")");
        assertTrue(hearth.pool().stats().prewarmed().get("python") <= CEILING);
    }
}
