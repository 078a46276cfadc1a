package dev.hearth.bench;

import dev.hearth.controlplane.Hearth;
import dev.hearth.controlplane.HearthConfig;
import dev.hearth.controlplane.PoolNode;
import dev.hearth.poolmanager.PoolStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A Hearth started in this JVM for one runtime, as {@code ./hearth up} would run it, and a REST
 * client with one user's token. Calls go over loopback HTTP like any client's. Distributed, it is
 * a nats-server process, a control plane and one pool-manager node (both in this JVM, talking
 * through the server over loopback TCP, as separate processes would).
 */
final class BenchHearth implements AutoCloseable {

    final String runtime;
    final String nodeId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path data;
    private final Hearth hearth;
    private final NatsServerProcess natsServer;
    private final PoolNode node;
    private final BenchClient client;

    /** Starts Hearth with a pool of {@code poolSize} containers for the runtime and none for the others. */
    BenchHearth(String runtime, int poolSize) throws IOException, InterruptedException {
        this(runtime, poolSize, false);
    }

    /** As {@link #BenchHearth(String, int)}, with some settings of the bench's own. */
    BenchHearth(String runtime, int poolSize, Map<String, String> settings) throws IOException, InterruptedException {
        this(runtime, poolSize, false, settings);
    }

    BenchHearth(String runtime, int poolSize, boolean distributed) throws IOException, InterruptedException {
        this(runtime, poolSize, distributed, Map.of());
    }

    private BenchHearth(String runtime, int poolSize, boolean distributed, Map<String, String> settings)
            throws IOException, InterruptedException {
        this.runtime = runtime;
        this.data = Files.createTempDirectory("hearth-bench");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(settings(runtime, poolSize, data, 0, nodeId));
        env.putAll(settings);
        if (distributed) {
            this.natsServer = NatsServerProcess.start(data);
            env.put("HEARTH_NATS_URL", natsServer.url());
            Map<String, String> nodeEnv = new HashMap<>(env);
            nodeEnv.put("HEARTH_NODE_ID", nodeId + "-pm");
            this.node = PoolNode.start(HearthConfig.fromEnv(nodeEnv));
            env.put("HEARTH_NODE_ID", nodeId + "-cp");
        } else {
            this.natsServer = null;
            this.node = null;
        }
        this.hearth = Hearth.start(HearthConfig.fromEnv(env));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!hearth.pool().warmedUp() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        this.client = new BenchClient("http://127.0.0.1:" + hearth.port());
    }

    /**
     * Waits until the pool holds at least {@code target} and starts none: a pool that grew with
     * the bench's own first calls would otherwise still be starting runtimes (a JVM takes most of
     * a core for a second) beside the call measured next.
     */
    void awaitPoolFull(int target) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!settled(hearth.pool().stats(), target)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + runtime + " pool did not reach " + target + " within 120 s");
            }
            Thread.sleep(5);
        }
    }

    private boolean settled(PoolStats stats, int target) {
        return stats.prewarmed().getOrDefault(runtime, 0) >= target && stats.starting().getOrDefault(runtime, 0) == 0;
    }

    Hearth hearth() {
        return hearth;
    }

    /** The REST client of the bench user, who owns the functions {@link #create} makes. */
    BenchClient client() {
        return client;
    }

    /** Creates the no-op function under this name; it needs no build. */
    void create(String name) throws IOException, InterruptedException {
        client.create(name, runtime);
    }

    /** Invokes a function with a small event; returns the start kind, and fails on anything but 200. */
    String invoke(String name) throws IOException {
        return client.invoke(name);
    }

    /** A bench Hearth's own settings: its data folder, port and node id, and a pool for {@code runtime} only. */
    static Map<String, String> settings(String runtime, int poolSize, Path data, int port, String nodeId) {
        Map<String, String> env = new HashMap<>();
        env.put("HEARTH_DATA", data.toString());
        env.put("HEARTH_PORT", Integer.toString(port));
        env.put("HEARTH_NODE_ID", nodeId);
        for (String other : BenchCode.RUNTIMES) {
            env.put("HEARTH_POOL_" + other.toUpperCase(java.util.Locale.ROOT), other.equals(runtime) ? Integer.toString(poolSize) : "0");
        }
        return env;
    }

    /** Deletes a bench's temporary folder, best effort. */
    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it eventually
        }
    }

    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        hearth.close();
        if (node != null) {
            node.close();
            natsServer.close();
        }
        deleteTree(data);
    }
}
