package dev.hearth.controlplane;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.hearth.poolmanager.nats.NatsServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A distributed Hearth on this machine for integration tests, every part a real process: a
 * nats-server with JetStream, one control plane and some pool-manager nodes started from the
 * test classpath as {@code Main control-plane} / {@code Main pool-manager}, all sharing one data
 * folder and the Docker engine, as the README's local recipe runs them. Logs go to
 * {@code <dir>/logs}; on failure they are the place to look.
 */
final class Cluster implements AutoCloseable {

    private final Path dir;
    private final Map<String, String> env;
    private final NatsServer nats;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final List<String> nodes = new ArrayList<>();
    private final List<String> controlPlanes = new ArrayList<>();
    private MongoServer mongo;
    private H2Backend mongoBackend;

    private Cluster(Path dir, Map<String, String> env, NatsServer nats) {
        this.dir = dir;
        this.env = env;
        this.nats = nats;
    }

    /**
     * Starts nats-server, the control plane and {@code nodeCount} nodes, and waits until the control
     * plane sees every node ready.
     *
     * @param settings extra environment for every Hearth process
     */
    static Cluster start(Path dir, int nodeCount, Map<String, String> settings) throws Exception {
        return start(dir, 1, nodeCount, settings);
    }

    /**
     * With more than one control plane, they share a store as they would share MongoDB: a
     * mongo-java-server (the embedded store's engine, H2 file) in this JVM, reached by the real
     * driver through {@code HEARTH_MONGO_URI}.
     */
    static Cluster start(Path dir, int controlPlaneCount, int nodeCount, Map<String, String> settings) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        Files.createDirectories(dir.resolve("logs"));
        NatsServer nats = NatsServer.startJetStream(dir.resolve("nats"));

        Map<String, String> env = TestHearth.settings(dir.resolve("data"));
        env.put("HEARTH_NATS_URL", nats.url());
        env.put("HEARTH_POOL_PYTHON", "2");
        env.putAll(settings);
        var cluster = new Cluster(dir, env, nats);
        try {
            if (controlPlaneCount > 1) {
                Files.createDirectories(dir.resolve("mongo"));
                cluster.mongoBackend = new H2Backend(dir.resolve("mongo/hearth.mv").toString());
                cluster.mongo = new MongoServer(cluster.mongoBackend);
                cluster.mongo.bind("127.0.0.1", 0);
                env.put("HEARTH_MONGO_URI", "mongodb://127.0.0.1:" + cluster.mongo.getLocalAddress().getPort());
            }
            for (int i = 1; i <= controlPlaneCount; i++) {
                String id = "cp" + i + "-" + run;
                cluster.controlPlanes.add(id);
                cluster.launch(id, "control-plane");
            }
            for (int i = 1; i <= nodeCount; i++) {
                String node = "pm" + i + "-" + run;
                cluster.nodes.add(node);
                cluster.launch(node, "pool-manager");
            }
            cluster.awaitNodes(nodeCount);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(String id, String role) throws IOException {
        int port = freePort();
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath(), Main.class.getName(), role)
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/" + id + ".log").toFile());
        builder.environment().putAll(env);
        builder.environment().put("HEARTH_NODE_ID", id);
        builder.environment().put("HEARTH_PORT", Integer.toString(port));
        processes.put(id, builder.start());
        ports.put(id, port);
    }

    /** Waits until the control plane's health lists every node as ready (its prewarmed pools summed). */
    private void awaitNodes(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (String id : processes.keySet()) {
            while (!healthy(ports.get(id))) {
                Process process = processes.get(id);
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError(id + " did not come up; its log:\n" + tail(id));
                }
                Thread.sleep(200);
            }
        }
        // Every node announces within a heartbeat once healthy; give the control plane two.
        Thread.sleep(2_000);
    }

    private static boolean healthy(int port) {
        try {
            var connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/healthz").toURL().openConnection();
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(2_000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** The first control plane's HTTP port. */
    int port() {
        return port(0);
    }

    int port(int controlPlane) {
        return ports.get(controlPlanes.get(controlPlane));
    }

    String controlPlaneId() {
        return controlPlanes.get(0);
    }

    List<String> nodes() {
        return List.copyOf(nodes);
    }

    /** Kills a node's process with SIGKILL: no goodbye, no clean-up, its containers left running. */
    void kill(String node) throws InterruptedException {
        Process process = processes.get(node);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String tail(String id) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("logs/" + id + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops every process (SIGTERM, clean shutdown) and removes what killed nodes left behind. */
    @Override
    public void close() {
        try {
            stopAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAll() throws InterruptedException {
        List<String> ids = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(ids); // nodes first, then the control plane
        for (String id : ids) {
            processes.get(id).destroy();
        }
        for (String id : ids) {
            Process process = processes.get(id);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        nats.close();
        if (mongo != null) {
            mongo.shutdown();
            mongoBackend.close();
        }
        keepLogs();
        for (String node : nodes) {
            Docker.containersOf(node).forEach(c -> Docker.CLIENT.removeContainerCmd(c.getId()).withForce(true).exec());
        }
    }

    /** Copies the processes' logs to target/cluster-logs/<first control plane's id>, where they outlive the temporary folder. */
    private void keepLogs() {
        Path kept = Path.of("target", "cluster-logs", controlPlanes.get(0));
        try (var logs = Files.list(dir.resolve("logs"))) {
            Files.createDirectories(kept);
            for (Path log : (Iterable<Path>) logs::iterator) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(nats.log(), kept.resolve("nats.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("cannot keep the cluster's logs: " + e.getMessage());
        }
    }

    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
