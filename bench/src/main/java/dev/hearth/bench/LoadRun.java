package dev.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.Main;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Warm calls under load as a client on the same machine sees them: Hearth in a JVM of its own,
 * started as {@code ./hearth up} starts it, and wrk in another process keeping 1, 8 or 32
 * connections busy. JMH's own threads would be a poor client here: they would share the heap, the
 * collector and the JIT with the Hearth they load, and a Java HTTP client costs several times
 * what wrk does per call on the same two cores.
 */
final class LoadRun implements AutoCloseable {

    /** One concurrency's figures. */
    record Point(int clients, double perSec, double p50Ms, double p99Ms) {}

    private static final String FUNCTION = "load";
    private static final Duration RAMP_ROUND = Duration.ofSeconds(3);
    private static final Duration RAMP_LIMIT = Duration.ofSeconds(60);

    private final Path data;
    private final Process hearth;
    private final BenchClient client;

    private LoadRun(Path data, Process hearth, BenchClient client) {
        this.data = data;
        this.hearth = hearth;
        this.client = client;
    }

    /** Starts a Hearth process with a pool of {@code poolSize} containers for {@code runtime}, and the no-op function on it. */
    static LoadRun start(String runtime, int poolSize) throws Exception {
        Path data = Files.createTempDirectory("hearth-load");
        int port = BenchHearth.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String options = System.getenv().getOrDefault("HEARTH_JAVA_OPTS", "").strip();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(data.resolve("hearth.log").toFile());
        builder.environment().putAll(BenchHearth.settings(runtime, poolSize, data, port,
                "bench-load-" + UUID.randomUUID().toString().substring(0, 8)));
        Process process = builder.start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(base, process, data);
            var client = new BenchClient(base);
            client.create(FUNCTION, runtime);
            client.invoke(FUNCTION);
            return new LoadRun(data, process, client);
        } catch (Exception e) {
            stop(process);
            throw e;
        }
    }

    /**
     * First loads the fresh process for {@code warmup} (8 connections), so its JIT has compiled
     * the hot paths, as in a platform that has served calls before. Then, for each number of
     * clients: load until the function's containers stop growing (at most a minute), so the
     * figures are of steady state and not of containers still starting; then measure for
     * {@code each}. While containers are still being added, calls beyond what the ready ones can
     * take wait briefly and may be refused (429): allowed while ramping up, not while measuring.
     */
    List<Point> measure(int[] concurrencies, Duration warmup, Duration each) throws Exception {
        String url = client.base() + "/v1/functions/" + FUNCTION + "/invoke";
        Wrk.run(url, client.token(), 8, warmup, data, true);
        List<Point> points = new ArrayList<>();
        for (int clients : concurrencies) {
            long deadline = System.nanoTime() + RAMP_LIMIT.toNanos();
            int last = -1;
            while (System.nanoTime() < deadline) {
                Wrk.run(url, client.token(), clients, RAMP_ROUND, data, true);
                int containers = containers();
                if (containers == last) {
                    break;
                }
                last = containers;
            }
            Wrk.Report report = Wrk.run(url, client.token(), clients, each, data, false);
            points.add(new Point(clients, report.perSec(), report.p50Ms(), report.p99Ms()));
        }
        return points;
    }

    private int containers() throws IOException, InterruptedException {
        JsonNode health = client.health();
        return health.path("warm").asInt() + health.path("busy").asInt();
    }

    private static void awaitHealthy(String base, Process process, Path data) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create(base + "/healthz")).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Hearth exited while starting:\n" + Files.readString(data.resolve("hearth.log")));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Hearth was not healthy within 120 s:\n" + Files.readString(data.resolve("hearth.log")));
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, as Ctrl-C on {@code ./hearth up}: Hearth removes its containers on the way out. */
    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop(hearth);
        BenchHearth.deleteTree(data);
    }
}
