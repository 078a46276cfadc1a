package dev.hearth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A nats-server process on a free loopback port, with JetStream stored under a folder of the bench's. */
final class NatsServerProcess implements AutoCloseable {

    private final Process process;
    private final String url;

    private NatsServerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts one; its configuration and log go in {@code dir}. */
    static NatsServerProcess start(Path dir) throws IOException {
        int port = BenchHearth.freePort();
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, "listen: 127.0.0.1:" + port + "\nmax_payload: 8MB\njetstream { store_dir: \""
                + dir.resolve("jetstream") + "\" }\n");
        String binary = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? "/usr/sbin/nats-server" : "nats-server";
        Process process = new ProcessBuilder(binary, "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nats.log").toFile()).start();
        return new NatsServerProcess(process, "nats://127.0.0.1:" + port);
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
