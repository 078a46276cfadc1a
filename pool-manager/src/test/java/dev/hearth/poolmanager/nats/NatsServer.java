package dev.hearth.poolmanager.nats;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nats-server of the test's own on a free loopback port, its config, store and log in
 * {@code dir}. Shared with control-plane's tests through this module's test-jar.
 */
public final class NatsServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path log;

    private NatsServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Core NATS only. */
    public static NatsServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, "");
    }

    /** With JetStream and the 8 MB payloads that Hearth's distributed mode sends. */
    public static NatsServer startJetStream(Path dir) throws IOException, InterruptedException {
        return start(dir, "max_payload: 8MB\njetstream { store_dir: \"" + dir.resolve("jetstream") + "\" }\n");
    }

    private static NatsServer start(Path dir, String extraConfig) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = freePort();
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, "listen: 127.0.0.1:" + port + "\n" + extraConfig);
        Path log = dir.resolve("nats.log");
        Process process = new ProcessBuilder(binary(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var server = new NatsServer(process, port, log);
        try {
            server.awaitListening();
            return server;
        } catch (IOException | InterruptedException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nats-server exited: " + Files.readString(log));
            }
            try (var probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100); // a bounded poll: nats-server tells no one when it listens
            }
        }
        throw new AssertionError("nats-server did not listen on " + port + ": " + Files.readString(log));
    }

    /** The binary: on PATH, or where Debian's package puts it. {@code ./hearth test} installs it. */
    private static String binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("nats-server is not installed; './hearth test' installs it (apt-get install nats-server)");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
