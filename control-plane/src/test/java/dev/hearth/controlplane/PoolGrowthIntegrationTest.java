package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python pool on the real engine, with a floor of 1, a ceiling of 4 and a 2 s demand window:
 * a burst of new functions' first calls grows it past its floor (as {@code GET /healthz} shows),
 * and at rest it shrinks back to the floor. Bounded polls only; nothing here is timed.
 */
class PoolGrowthIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(PoolGrowthIntegrationTest.class);
    static final int FLOOR = 1;
    static final int CEILING = 4;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", Integer.toString(FLOOR))
            .with("HEARTH_POOL_MAX_PYTHON", Integer.toString(CEILING))
            .with("HEARTH_POOL_WINDOW_MS", "2000");

    @Test
    void aBurstOfFirstCalls_growsThePool_andAtRestItShrinksBackToItsFloor() throws Exception {
        Api api = hearth.api();
        String token = api.userWithToken("burst");
        assertEquals(FLOOR, api.prewarmed("python"), "at rest the pool is at its floor");
        ExecutorService callers = Executors.newFixedThreadPool(4);
        int peak = 0;
        int functions = 0;
        try {
            // Bursts of four new functions called at once, until the pool is seen above its floor (at most 10 bursts).
            for (int burst = 0; burst < 10 && peak <= FLOOR; burst++) {
                List<Future<Api.Reply>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String name = "f" + functions++;
                    Api.Reply created = api.post("/v1/functions", token, Api.pythonSource(name, Api.PYTHON_HELLO));
                    assertEquals(201, created.status(), created.toString());
                    calls.add(callers.submit(() -> api.invoke(token, name, "{}")));
                }
                for (Future<Api.Reply> call : calls) {
                    while (!call.isDone()) {
                        peak = Math.max(peak, api.prewarmed("python"));
                        Thread.sleep(20);
                    }
                    Api.Reply reply = call.get();
                    assertEquals(200, reply.status(), reply.toString());
                    assertEquals("\"hello\"", reply.text());
                }
                // The refills the burst asked for are still starting: watch them land (bounded).
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (peak <= FLOOR && System.nanoTime() < until) {
                    peak = Math.max(peak, api.prewarmed("python"));
                    Thread.sleep(20);
                }
            }
        } finally {
            callers.shutdownNow();
        }
        log.info("the pool reached {} after {} first calls", peak, functions);
        assertTrue(peak > FLOOR, "the pool grew past its floor of " + FLOOR + " (peak " + peak + ")");
        assertTrue(peak <= CEILING, "and never past its ceiling of " + CEILING + " (peak " + peak + ")");

        // At rest: back to the floor, within a bounded poll.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int now = api.prewarmed("python");
        while (now != FLOOR && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = api.prewarmed("python");
        }
        assertEquals(FLOOR, now, "at rest the pool shrinks back to its floor");
        assertEquals(FLOOR, hearth.pool().stats().prewarmed().get("python"));
        // Every function keeps its warm container: shrinking removes generic containers only.
        assertEquals(functions, hearth.pool().stats().warm(), "the functions' own containers stay warm");
    }
}
