package dev.hearth.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the suite ({@code ./hearth bench}) for each runtime and writes one JSON file:
 * {@code {"python": {…}, "node": {…}, "java": {…}, "machine": {…}, "date": …}} into
 * {@code HEARTH_BENCH_OUT} (default {@code bench/results}), as {@code bench-<date>.json} and
 * {@code latest.json}. {@code HEARTH_BENCH_QUICK=1} runs fewer, shorter iterations;
 * {@code HEARTH_BENCH_RUNTIMES} picks runtimes (comma-separated); {@code HEARTH_BENCH_ONLY=pool}
 * measures only the pool figures, {@code HEARTH_BENCH_ONLY=burst} only a burst of 30 first calls
 * ({@link BurstFigures}), {@code HEARTH_BENCH_ONLY=load} only throughput and latency
 * under load (wrk against a Hearth process), {@code HEARTH_BENCH_ONLY=dispatch} only warm calls
 * in-process against the agent directly and over NATS, {@code HEARTH_BENCH_ONLY=start} only the container per invocation
 * against the pool start, {@code HEARTH_BENCH_ONLY=build} only the Maven build durations
 * (first, then with the owner's dependency cache), which the full run measures once, not per runtime,
 * {@code HEARTH_BENCH_ONLY=density} only density and scale ({@link DensityFigures}, which the full run measures once),
 * {@code HEARTH_BENCH_ONLY=neighbour} only a victim's warm calls alone and beside a neighbour
 * spinning on every core ({@link NeighbourFigures}), with CPU divided by user and per container,
 * {@code HEARTH_BENCH_ONLY=alias} only what resolving a weighted alias adds to a warm call
 * ({@link AliasFigures}), {@code HEARTH_BENCH_ONLY=http} only what a route or a function URL adds
 * to a warm call against /invoke ({@link HttpFigures}), and the event and answer mapping alone
 * ({@link HttpMappingBenchmark}, once), {@code HEARTH_BENCH_ONLY=routes} only
 * route matching with 10 and 10,000 routes ({@link RouteMatchBenchmark}), which the full run
 * measures once, not per runtime.
 */
public final class BenchMain {

    private static final Logger log = LoggerFactory.getLogger(BenchMain.class);
    static final int[] CONCURRENCIES = {1, 8, 32};

    /** Iteration counts and lengths; the quick plan takes a few minutes. */
    record Plan(boolean quick, int singleShots, int timedIterations, int seconds, int loadWarmupSeconds, int loadSeconds) {
        static Plan of(boolean quick) {
            return quick ? new Plan(true, 6, 2, 2, 10, 5) : new Plan(false, 20, 4, 5, 20, 15);
        }
    }

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        boolean quick = "1".equals(System.getenv("HEARTH_BENCH_QUICK"));
        Plan plan = Plan.of(quick);
        List<String> runtimes = List.of(System.getenv().getOrDefault("HEARTH_BENCH_RUNTIMES", String.join(",", BenchCode.RUNTIMES)).split(","));
        Path out = Path.of(System.getenv().getOrDefault("HEARTH_BENCH_OUT", "bench/results"));

        String only = System.getenv("HEARTH_BENCH_ONLY");
        Map<String, Object> results = new LinkedHashMap<>();
        if ("neighbour".equals(only)) {
            results.put("neighbour", NeighbourFigures.measure(NeighbourFigures.Plan.of(quick),
                    "perContainer".equals(System.getenv("HEARTH_BENCH_NEIGHBOUR_FIRST"))));
        } else if (!"build".equals(only) && !"routes".equals(only) && !"density".equals(only)) {
            for (String runtime : runtimes) {
                results.put(runtime, runtime(runtime.strip(), plan));
            }
        }
        if (only == null || only.equals("density")) {
            results.put("density", DensityFigures.measure(DensityFigures.Plan.of(quick)));
        }
        if (only == null || only.equals("build")) {
            BuildFigures.Figures build = BuildFigures.measure();
            results.put("build", Map.of("mavenFirstMs", round(build.firstMs()), "mavenCachedMs", round(build.cachedMs())));
        }
        if (only == null || only.equals("http")) {
            results.put("httpMapping", HttpMappingBenchmark.measure(quick));
        }
        if (only == null || only.equals("routes")) {
            results.put("routes", RouteMatchBenchmark.measure(quick));
        }
        results.put("machine", machine());
        results.put("date", Instant.now().toString());
        results.put("quick", quick);

        Files.createDirectories(out);
        var writer = BenchClient.JSON.writer().with(SerializationFeature.INDENT_OUTPUT);
        byte[] json = writer.writeValueAsBytes(results);
        Path file = out.resolve("bench-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.write(file, json);
        Files.write(out.resolve("latest.json"), json);
        log.info("results written to {}:\n{}", file, new String(json));
    }

    static Map<String, Object> runtime(String runtime, Plan plan) throws Exception {
        if ("pool".equals(System.getenv("HEARTH_BENCH_ONLY"))) {
            PoolFigures.Figures pool = PoolFigures.measure(runtime);
            return Map.of("refillPerSec", round(pool.refillPerSec()), "idleMemoryMiB", round(pool.idleMemoryMiB()));
        }
        if ("burst".equals(System.getenv("HEARTH_BENCH_ONLY"))) {
            return BurstFigures.measure(runtime);
        }
        if ("start".equals(System.getenv("HEARTH_BENCH_ONLY"))) {
            double perInvocation = median(run(singleShot("containerPerInvocation", runtime, plan)));
            double poolStart = median(run(singleShot("poolStart", runtime, plan)));
            return Map.of("containerPerInvocationMs", round(perInvocation), "poolStartMs", round(poolStart),
                    "poolStartSpeedup", round(perInvocation / poolStart));
        }
        if ("alias".equals(System.getenv("HEARTH_BENCH_ONLY"))) {
            return AliasFigures.measure(runtime, AliasFigures.Plan.of(plan.quick()));
        }
        if ("http".equals(System.getenv("HEARTH_BENCH_ONLY"))) {
            return HttpFigures.measure(runtime, HttpFigures.Plan.of(plan.quick()));
        }
        if ("load".equals(System.getenv("HEARTH_BENCH_ONLY"))) {
            Map<String, Object> figures = new LinkedHashMap<>();
            underLoad(runtime, plan, figures);
            log.info("{}: {}", runtime, figures);
            return figures;
        }
        if ("dispatch".equals(System.getenv("HEARTH_BENCH_ONLY"))) {
            Map<String, Object> figures = new LinkedHashMap<>();
            warmPath(runtime, plan, figures);
            overNats(runtime, plan, figures);
            log.info("{}: {}", runtime, figures);
            return figures;
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        double perInvocation = median(run(singleShot("containerPerInvocation", runtime, plan)));
        double poolStart = median(run(singleShot("poolStart", runtime, plan)));
        figures.put("containerPerInvocationMs", round(perInvocation));
        figures.put("poolStartMs", round(poolStart));
        warmPath(runtime, plan, figures);
        overNats(runtime, plan, figures);
        underLoad(runtime, plan, figures);
        PoolFigures.Figures pool = PoolFigures.measure(runtime);
        figures.put("refillPerSec", round(pool.refillPerSec()));
        figures.put("idleMemoryMiB", round(pool.idleMemoryMiB()));
        figures.putAll(BurstFigures.measure(runtime));
        figures.putAll(AliasFigures.measure(runtime, AliasFigures.Plan.of(plan.quick())));
        figures.putAll(HttpFigures.measure(runtime, HttpFigures.Plan.of(plan.quick())));
        figures.put("poolStartSpeedup", round(perInvocation / poolStart));
        log.info("{}: {}", runtime, figures);
        return figures;
    }

    /**
     * A warm call through REST, set against its two hops that no Hearth code can remove: the
     * cheapest answer of the same Hearth to the same client ({@code restFloor}) and the same
     * handler called straight on its agent. What is left is Hearth's own work on a call.
     */
    private static void warmPath(String runtime, Plan plan, Map<String, Object> figures) throws RunnerException {
        RunResult warm = single(run(timed("warm", runtime, plan).mode(Mode.SampleTime).threads(1)));
        RunResult floor = single(run(timed("restFloor", runtime, plan).mode(Mode.SampleTime).threads(1)));
        RunResult direct = single(run(timed("directAgent", runtime, plan).mode(Mode.SampleTime).threads(1)));
        double warmP50 = warm.getPrimaryResult().getStatistics().getPercentile(50);
        double floorP50 = floor.getPrimaryResult().getStatistics().getPercentile(50);
        double directP50 = direct.getPrimaryResult().getStatistics().getPercentile(50);
        figures.put("warmP50Ms", round(warmP50));
        figures.put("warmP99Ms", round(warm.getPrimaryResult().getStatistics().getPercentile(99)));
        figures.put("restFloorP50Ms", round(floorP50));
        figures.put("restFloorP99Ms", round(floor.getPrimaryResult().getStatistics().getPercentile(99)));
        figures.put("directAgentP50Ms", round(directP50));
        figures.put("directAgentP99Ms", round(direct.getPrimaryResult().getStatistics().getPercentile(99)));
        figures.put("warmOverDirect", round(warmP50 / directP50));
        // In microseconds' resolution: tens of them, which the figures' two decimals would round away.
        figures.put("hearthOwnP50Ms", Math.round((warmP50 - floorP50 - directP50) * 1000) / 1000.0);
    }

    /** Warm calls from wrk against a Hearth process, with 1, 8 and 32 connections: calls per second and latency. */
    private static void underLoad(String runtime, Plan plan, Map<String, Object> figures) throws Exception {
        Map<String, Object> perSec = new LinkedHashMap<>();
        Map<String, Object> p50 = new LinkedHashMap<>();
        Map<String, Object> p99 = new LinkedHashMap<>();
        try (LoadRun load = LoadRun.start(runtime, HearthBenchmarks.POOL_SIZE)) {
            for (LoadRun.Point point : load.measure(CONCURRENCIES, Duration.ofSeconds(plan.loadWarmupSeconds()), Duration.ofSeconds(plan.loadSeconds()))) {
                String clients = Integer.toString(point.clients());
                perSec.put(clients, Math.round(point.perSec()));
                p50.put(clients, round(point.p50Ms()));
                p99.put(clients, round(point.p99Ms()));
            }
        }
        figures.put("throughputPerSec", perSec);
        figures.put("loadP50Ms", p50);
        figures.put("loadP99Ms", p99);
    }

    /** Warm calls dispatched over NATS to a pool-manager node, and their cost over the in-process path. */
    private static void overNats(String runtime, Plan plan, Map<String, Object> figures) throws RunnerException {
        RunResult nats = single(run(timed("warmOverNats", runtime, plan).mode(Mode.SampleTime).threads(1)));
        figures.put("warmOverNatsP50Ms", round(nats.getPrimaryResult().getStatistics().getPercentile(50)));
        figures.put("warmOverNatsP99Ms", round(nats.getPrimaryResult().getStatistics().getPercentile(99)));
        figures.put("natsDispatchP50Ms", round((Double) figures.get("warmOverNatsP50Ms") - (Double) figures.get("warmP50Ms")));
        // What any NATS round trip costs here, measured right after: the part of the dispatch no Hearth code can remove.
        RunResult floor = single(run(timed("natsFloor", null, plan).mode(Mode.SampleTime).threads(1)));
        figures.put("natsFloorP50Ms", round(floor.getPrimaryResult().getStatistics().getPercentile(50)));
    }

    /** @param runtime the benchmark's {@code runtime} parameter, or null for one that has none */
    private static ChainedOptionsBuilder base(String benchmark, String runtime) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HearthBenchmarks.class.getName() + "\\." + benchmark + "$")
                .forks(1)
                .shouldFailOnError(true);
        return runtime == null ? options : options.param("runtime", runtime);
    }

    private static ChainedOptionsBuilder singleShot(String benchmark, String runtime, Plan plan) {
        return base(benchmark, runtime).mode(Mode.SingleShotTime).timeUnit(TimeUnit.MILLISECONDS)
                .warmupIterations(3).measurementIterations(plan.singleShots());
    }

    private static ChainedOptionsBuilder timed(String benchmark, String runtime, Plan plan) {
        return base(benchmark, runtime).timeUnit(TimeUnit.MILLISECONDS)
                .warmupIterations(2).warmupTime(TimeValue.seconds(plan.seconds()))
                .measurementIterations(plan.timedIterations()).measurementTime(TimeValue.seconds(plan.seconds()));
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    private static RunResult single(Collection<RunResult> results) {
        if (results.size() != 1) {
            throw new IllegalStateException("expected one result, got " + results.size());
        }
        return results.iterator().next();
    }

    private static double median(Collection<RunResult> results) {
        return single(results).getPrimaryResult().getStatistics().getPercentile(50);
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        machine.put("memoryGiB", Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return machine;
    }
}
