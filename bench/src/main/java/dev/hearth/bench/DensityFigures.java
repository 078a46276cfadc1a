package dev.hearth.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Density and scale ({@code HEARTH_BENCH_ONLY=density}): what a node full of functions costs the
 * calls users make. On an empty node, then once {@code functions} functions are registered and
 * {@code warm} of them are warm (each called once, so each holds an idle container), the p50 of
 * {@code samples} creates, gets, lists and warm invokes, one at a time (on the empty node after as
 * many again, which are not counted, so the server's code is compiled); reported with the ratio of
 * the full node to the empty one. Run twice: all functions owned by one user, and spread over
 * {@value #USERS} users (each operation then by a user chosen in turn). Also the memory of an idle
 * warm container (the median of {@value #MEMORY_SAMPLES} of them) and of the Hearth process (heap
 * in use after a GC, and this JVM's resident set, which holds the bench too).
 *
 * <p>Measured once in the full run; the full plan takes about six minutes here, most of it
 * warming 500 functions (each a first call) and removing their containers.
 *
 * <p>The quotas the bench lifts for itself: {@code HEARTH_USER_MAX_FUNCTIONS} and
 * {@code HEARTH_USER_MAX_CODE_MB}, and the node's
 * container count and the sum of memory limits (idle Python agents use a tenth of their 128 MiB
 * limit, so the limits are overcommitted on purpose here; the kernel still enforces each one).
 */
final class DensityFigures {

    private static final Logger log = LoggerFactory.getLogger(DensityFigures.class);
    static final int USERS = 100;
    private static final int MEMORY_SAMPLES = 12;
    private static final int POOL = 4;
    private static final int THREADS = 4;

    record Plan(int functions, int warm, int samples) {
        static Plan of(boolean quick) {
            return quick ? new Plan(1_000, 50, 30) : new Plan(10_000, 500, 100);
        }
    }

    private DensityFigures() {}

    static Map<String, Object> measure(Plan plan) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("functions", plan.functions());
        figures.put("warm", plan.warm());
        figures.put("samples", plan.samples());
        figures.put("oneUser", measure(plan, 1));
        figures.put(USERS + "Users", measure(plan, USERS));
        return figures;
    }

    private static Map<String, Object> measure(Plan plan, int users) throws Exception {
        // Room for the warm functions, each user's hot one, and a pool of 4 × its floor (it grows past that only into
        // half the free room, and gives way to calls).
        int containers = plan.warm() + users + 4 * POOL + 8;
        Map<String, String> settings = Map.of(
                "HEARTH_USER_MAX_FUNCTIONS", Integer.toString(plan.functions() + plan.samples() * 3 + 10),
                "HEARTH_USER_MAX_CODE_MB", "100000",
                "HEARTH_MAX_CONTAINERS", Integer.toString(containers),
                "HEARTH_MAX_CONTAINER_MEMORY_MB", Integer.toString(containers * 128),
                "HEARTH_IDLE_TIMEOUT_SECONDS", "3600");
        try (var hearth = new BenchHearth("python", POOL, settings)) {
            List<BenchClient> clients = new ArrayList<>();
            clients.add(hearth.client());
            for (int u = 1; u < users; u++) {
                clients.add(new BenchClient(hearth.client().base(), "density" + u));
            }
            // The empty node: one warm function per user for the invoke figure, nothing else.
            for (int u = 0; u < users; u++) {
                clients.get(u).create("hot", "python");
                clients.get(u).invoke("hot");
            }
            // A first pass compiles the server's paths; only the second is the empty node's figure.
            operations(clients, plan.samples(), "jit");
            hearth.awaitPoolFull(POOL);
            Map<String, Double> empty = operations(clients, plan.samples(), "empty");

            long registering = System.nanoTime();
            forEach(plan.functions(), i -> clients.get(i % users).create("fn-" + i, "python"));
            double registerSeconds = (System.nanoTime() - registering) / 1e9;
            long warming = System.nanoTime();
            AtomicInteger notFromPool = new AtomicInteger();
            forEach(plan.warm(), i -> {
                String start = clients.get(i % users).invoke("fn-" + i);
                if (!"pool".equals(start)) {
                    notFromPool.incrementAndGet();
                }
            });
            double warmSeconds = (System.nanoTime() - warming) / 1e9;
            int warmNow = hearth.hearth().pool().stats().warm();
            // The pool grew with the warming's first calls: measured once its starts are done.
            hearth.awaitPoolFull(POOL);
            Map<String, Double> full = operations(clients, plan.samples(), "full");

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("users", users);
            figures.put("registerPerSec", BenchMain.round(plan.functions() / registerSeconds));
            figures.put("warmedPerSec", BenchMain.round(plan.warm() / warmSeconds));
            figures.put("warmedNotFromPool", notFromPool.get());
            figures.put("warmContainers", warmNow);
            for (String op : empty.keySet()) {
                figures.put(op + "P50MsEmpty", BenchMain.round(empty.get(op)));
                figures.put(op + "P50MsFull", BenchMain.round(full.get(op)));
                figures.put(op + "Ratio", BenchMain.round(full.get(op) / empty.get(op)));
            }
            figures.put("idleWarmContainerMiB", BenchMain.round(PoolFigures.medianIdleMiB(hearth.nodeId, "python", MEMORY_SAMPLES)));
            figures.putAll(processMemory());
            log.info("density with {} user(s): {}", users, figures);
            return figures;
        }
    }

    /** The p50 in ms of each operation, {@code samples} of each, one at a time, users in turn. */
    private static Map<String, Double> operations(List<BenchClient> clients, int samples, String phase) throws Exception {
        double[] create = new double[samples];
        double[] get = new double[samples];
        double[] list = new double[samples];
        double[] invoke = new double[samples];
        for (int i = 0; i < samples; i++) {
            BenchClient client = clients.get(i % clients.size());
            long t0 = System.nanoTime();
            client.create(phase + "-" + i, "python");
            long t1 = System.nanoTime();
            client.get("/v1/functions/" + phase + "-" + i);
            long t2 = System.nanoTime();
            client.get("/v1/functions");
            long t3 = System.nanoTime();
            String start = client.invoke("hot");
            long t4 = System.nanoTime();
            if (!"warm".equals(start)) {
                throw new IllegalStateException("the hot function's call started '" + start + "', not warm");
            }
            create[i] = (t1 - t0) / 1e6;
            get[i] = (t2 - t1) / 1e6;
            list[i] = (t3 - t2) / 1e6;
            invoke[i] = (t4 - t3) / 1e6;
        }
        Map<String, Double> p50 = new LinkedHashMap<>();
        p50.put("create", median(create));
        p50.put("get", median(get));
        p50.put("list", median(list));
        p50.put("invoke", median(invoke));
        return p50;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The Hearth process: heap in use after a GC, and this JVM's resident set (the bench's own included). */
    private static Map<String, Object> processMemory() throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("hearthHeapMiB", BenchMain.round(heap / (1024.0 * 1024.0)));
        memory.put("benchJvmRssMiB", BenchMain.round(rssKb / 1024.0));
        return memory;
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    /** Runs {@code task} for 0 … count-1 on {@value #THREADS} threads; the first failure fails the bench. */
    private static void forEach(int count, Task task) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    task.run(n);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
