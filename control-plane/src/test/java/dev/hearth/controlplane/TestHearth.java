package dev.hearth.controlplane;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Starts a real Hearth for integration tests: real Docker containers from the runtime images
 * that {@code ./hearth test} builds, the embedded store in a temporary folder, a random port,
 * a node id of its own so tests never touch each other's containers, and no registry to pull from.
 */
public final class TestHearth {

    private TestHearth() {}

    public static Map<String, String> settings(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("HEARTH_DATA", dataDir.toString());
        env.put("HEARTH_PORT", "0");
        env.put("HEARTH_NODE_ID", "test-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("HEARTH_POOL_PYTHON", "1");
        env.put("HEARTH_POOL_NODE", "0");
        env.put("HEARTH_POOL_JAVA", "0");
        env.put("HEARTH_WORKER_THREADS", "16");
        // Tests talk to loopback and Hearth's own containers only: no test makes the daemon pull from anywhere.
        env.put("HEARTH_REGISTRIES", "none");
        return env;
    }

    public static Hearth start(Map<String, String> env) throws IOException {
        return Hearth.start(HearthConfig.fromEnv(env));
    }

    /** With a clock the test moves (token expiry). */
    public static Hearth start(Map<String, String> env, Clock clock) throws IOException {
        return Hearth.start(HearthConfig.fromEnv(env), clock);
    }

    /** Waits until every pool has been filled once, as {@code GET /healthz} reports. */
    public static Hearth startWarm(Map<String, String> env) throws IOException, InterruptedException {
        return awaitWarm(start(env));
    }

    /** Waits until every pool of a started Hearth has been filled once; closes it if that takes too long. */
    public static Hearth awaitWarm(Hearth hearth) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!hearth.pool().warmedUp()) {
            if (System.nanoTime() > deadline) {
                hearth.close();
                throw new IllegalStateException("pool did not warm up within 60 s");
            }
            Thread.sleep(20); // a bounded poll: the pool tells no one when it is first full
        }
        return hearth;
    }
}
