package dev.hearth.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hostile neighbour's effect on a victim ({@code HEARTH_BENCH_ONLY=neighbour}): one user's warm
 * calls of the no-op Python function over REST, alone, then while another user keeps
 * {@link #NEIGHBOUR_CONTAINERS} containers busy spinning on every core, from the same Hearth; once
 * with CPU divided by user ({@code HEARTH_CPU_PER_USER=true}, the default) and once with it shared
 * per container, each on a Hearth of its own. The spinning is bounded by its calls' duration.
 */
final class NeighbourFigures {

    private static final Logger log = LoggerFactory.getLogger(NeighbourFigures.class);
    static final int NEIGHBOUR_CONTAINERS = 6;
    /** Spins one process per core the container sees until its time is up; the container's CPU quota still applies. */
    static final String SPIN = """
            import os, time
            def handler(event, context):
                seconds = min(float(event.get("seconds", 1)), 120)
                end = time.time() + seconds
                children = []
                for _ in range(max(1, os.cpu_count() or 1)):
                    pid = os.fork()
                    if pid == 0:
                        while time.time() < end:
                            pass
                        os._exit(0)
                    children.append(pid)
                for pid in children:
                    os.waitpid(pid, 0)
                return {"spun": seconds}
            """;

    /**
     * How long to measure. Quiet and noisy windows alternate, {@code rounds} of each, so a change
     * in the machine's other load falls on both alike.
     *
     * @param warmup calls made before the first window, not counted: long enough for the JIT, or
     *               the first Hearth of the run would have its quiet figures inflated by it
     * @param window how long each window lasts
     */
    record Plan(Duration warmup, Duration window, int rounds) {
        static Plan of(boolean quick) {
            return quick ? new Plan(Duration.ofSeconds(5), Duration.ofSeconds(5), 2)
                    : new Plan(Duration.ofSeconds(20), Duration.ofSeconds(10), 4);
        }
    }

    private NeighbourFigures() {}

    /**
     * The figures with CPU divided by user and shared per container, each on a Hearth of its own.
     *
     * @param perContainerFirst measure per container first, to see what the order costs the first
     *                          Hearth of the JVM
     */
    static Map<String, Object> measure(Plan plan, boolean perContainerFirst) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (boolean perUser : perContainerFirst ? new boolean[] {false, true} : new boolean[] {true, false}) {
            figures.put(perUser ? "perUser" : "perContainer", measureOne(plan, perUser));
        }
        figures.put("order", perContainerFirst ? "perContainer, perUser" : "perUser, perContainer");
        return figures;
    }

    private static Map<String, Object> measureOne(Plan plan, boolean perUser) throws Exception {
        Map<String, String> env = Map.of("HEARTH_CPU_PER_USER", Boolean.toString(perUser));
        try (var hearth = new BenchHearth("python", NEIGHBOUR_CONTAINERS + 2, env)) {
            String base = "http://127.0.0.1:" + hearth.hearth().port();
            hearth.create("victim");
            BenchClient neighbour = new BenchClient(base, "neighbour");
            Map<String, Object> spin = Map.of("name", "spin", "runtime", "python", "handler", "main.handler",
                    "timeoutMs", 180_000, "source", Map.of("filename", "main.py", "content", SPIN));
            neighbour.post("/v1/functions", spin, 201);
            calls(hearth, plan.warmup());
            List<double[]> quiet = new ArrayList<>();
            List<double[]> noisy = new ArrayList<>();
            for (int round = 0; round < plan.rounds(); round++) {
                quiet.add(calls(hearth, plan.window()));
                noisy.add(besideNeighbour(hearth, neighbour, plan.window()));
            }
            double[] alone = concat(quiet);
            double[] beside = concat(noisy);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("quietP50Ms", BenchMain.round(percentile(alone, 50)));
            result.put("quietP99Ms", BenchMain.round(percentile(alone, 99)));
            result.put("neighbourP50Ms", BenchMain.round(percentile(beside, 50)));
            result.put("neighbourP99Ms", BenchMain.round(percentile(beside, 99)));
            result.put("p99Ratio", BenchMain.round(percentile(beside, 99) / percentile(alone, 99)));
            result.put("quietCalls", alone.length);
            result.put("neighbourCalls", beside.length);
            log.info("neighbour, CPU {}: {}", perUser ? "per user" : "per container", result);
            return result;
        }
    }

    /** The victim's calls for one window while the neighbour's containers all spin; the spinning ends by itself soon after. */
    private static double[] besideNeighbour(BenchHearth hearth, BenchClient neighbour, Duration window) throws Exception {
        // Long enough for the containers to start, a short warm-up and the window.
        long seconds = window.toSeconds() + 8;
        ExecutorService spinners = Executors.newFixedThreadPool(NEIGHBOUR_CONTAINERS);
        try {
            List<Future<?>> spinning = new ArrayList<>();
            for (int i = 0; i < NEIGHBOUR_CONTAINERS; i++) {
                spinning.add(spinners.submit(() -> neighbour.post("/v1/functions/spin/invoke", Map.of("seconds", seconds), 200)));
            }
            awaitBusy(hearth, NEIGHBOUR_CONTAINERS);
            calls(hearth, Duration.ofSeconds(1));
            double[] latencies = calls(hearth, window);
            if (spinning.stream().anyMatch(Future::isDone)) {
                throw new IllegalStateException("a neighbour's call ended before the window did");
            }
            for (Future<?> call : spinning) {
                call.get(seconds + 60, TimeUnit.SECONDS);
            }
            return latencies;
        } finally {
            spinners.shutdownNow();
        }
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    /** Waits until the node runs at least this many calls at once: the neighbour's containers are all spinning. */
    private static void awaitBusy(BenchHearth hearth, int busy) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (hearth.hearth().pool().stats().busy() < busy) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the neighbour's " + busy + " containers did not all start within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** The victim's warm calls, one at a time, for {@code window}; their latencies in ms. */
    private static double[] calls(BenchHearth hearth, Duration window) throws IOException {
        long end = System.nanoTime() + window.toNanos();
        double[] latencies = new double[1024];
        int n = 0;
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            hearth.invoke("victim");
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = (System.nanoTime() - started) / 1e6;
        }
        return Arrays.copyOf(latencies, n);
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
