package dev.hearth.bench;

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
 * A burst of first calls ({@code HEARTH_BENCH_ONLY=burst}): {@value #FUNCTIONS} never-invoked
 * functions are created, then each is called once, the calls spread evenly over one second (one
 * thread per call, so a slow call does not delay the next). Reported: how many were served from
 * the pool and how many started cold, the first calls' p50 and p99 as the client sees them, and
 * the runtime's pool size sampled every {@value #SAMPLE_MS} ms from the burst until it is back at
 * its floor (at most {@value #REST_SECONDS} s), with the time that took. Then, on a fresh Hearth,
 * the same burst once the pool has stopped growing after the deploys ({@code settledBurst…}; at
 * most 15 s, within the pool's 20 s window in which a deploy's first call is expected): first
 * calls that come a little after their deploys, as they usually do.
 */
final class BurstFigures {

    private static final Logger log = LoggerFactory.getLogger(BurstFigures.class);
    static final int FUNCTIONS = 30;
    static final int FLOOR = 3;
    private static final int SAMPLE_MS = 500;
    private static final int REST_SECONDS = 120;
    /** How long the second burst waits at most for the pool to stop growing after the deploys. */
    private static final Duration SETTLE_MAX = Duration.ofSeconds(15);

    private BurstFigures() {}

    static Map<String, Object> measure(String runtime) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        try (var hearth = new BenchHearth(runtime, FLOOR)) {
            double createSeconds = create(hearth, "burst-");
            figures.put("burstCalls", FUNCTIONS);
            figures.put("burstCreateSeconds", BenchMain.round(createSeconds));
            figures.putAll(burst(hearth, "burst-", ""));
            figures.putAll(rest(hearth, runtime));
        }
        // The same burst a little later: the functions were deployed, and the pool had time to grow for their first calls.
        try (var hearth = new BenchHearth(runtime, FLOOR)) {
            create(hearth, "later-");
            long settleStart = System.nanoTime();
            int held = -1;
            while (System.nanoTime() - settleStart < SETTLE_MAX.toNanos()) {
                var stats = hearth.hearth().pool().stats();
                int now = stats.prewarmed().getOrDefault(runtime, 0);
                if (now == held && stats.starting().getOrDefault(runtime, 0) == 0) {
                    break;
                }
                held = now;
                Thread.sleep(SAMPLE_MS);
            }
            figures.put("settledBurstWaitSeconds", BenchMain.round((System.nanoTime() - settleStart) / 1e9));
            figures.put("settledBurstPoolBefore", held);
            figures.putAll(burst(hearth, "later-", "settled"));
        }
        log.info("{} burst: {}", runtime, figures);
        return figures;
    }

    /** Creates the burst's functions one after the other, as a deploy script would; returns the seconds it took. */
    private static double create(BenchHearth hearth, String prefix) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < FUNCTIONS; i++) {
            hearth.create(prefix + i);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Calls each function once, the calls spread over one second; figures named {@code <scenario>Burst…}. */
    private static Map<String, Object> burst(BenchHearth hearth, String prefix, String scenario) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(FUNCTIONS);
        try {
            List<Future<String[]>> answers = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < FUNCTIONS; i++) {
                String name = prefix + i;
                long due = start + Duration.ofMillis(1_000L * i / FUNCTIONS).toNanos();
                answers.add(callers.submit(() -> {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    long t0 = System.nanoTime();
                    String kind = hearth.invoke(name);
                    return new String[] {kind, Double.toString((System.nanoTime() - t0) / 1e6)};
                }));
            }
            int pool = 0;
            int cold = 0;
            double[] ms = new double[FUNCTIONS];
            for (int i = 0; i < FUNCTIONS; i++) {
                String[] answer = answers.get(i).get(120, TimeUnit.SECONDS);
                pool += "pool".equals(answer[0]) ? 1 : 0;
                cold += "cold".equals(answer[0]) ? 1 : 0;
                ms[i] = Double.parseDouble(answer[1]);
            }
            Arrays.sort(ms);
            String name = scenario.isEmpty() ? "burst" : scenario + "Burst";
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put(name + "Pool", pool);
            figures.put(name + "Cold", cold);
            figures.put(name + "PoolShare", BenchMain.round((double) pool / FUNCTIONS));
            figures.put(name + "P50Ms", BenchMain.round(ms[FUNCTIONS / 2]));
            figures.put(name + "P99Ms", BenchMain.round(ms[(int) Math.ceil(0.99 * FUNCTIONS) - 1]));
            figures.put(name + "Seconds", BenchMain.round((System.nanoTime() - start) / 1e9));
            return figures;
        } finally {
            callers.shutdownNow();
        }
    }

    /** The pool's size after the burst, until it is back at its floor. */
    private static Map<String, Object> rest(BenchHearth hearth, String runtime) throws InterruptedException {
        List<Integer> sizes = new ArrayList<>();
        long restStart = System.nanoTime();
        int peak = 0;
        while (System.nanoTime() - restStart < Duration.ofSeconds(REST_SECONDS).toNanos()) {
            int size = hearth.hearth().pool().stats().prewarmed().getOrDefault(runtime, 0);
            sizes.add(size);
            peak = Math.max(peak, size);
            boolean settled = peak > FLOOR || System.nanoTime() - restStart > Duration.ofSeconds(10).toNanos();
            if (size == FLOOR && settled) {
                break;
            }
            Thread.sleep(SAMPLE_MS);
        }
        // The first sample at the floor after the last one above it.
        int lastAbove = -1;
        for (int i = 0; i < sizes.size(); i++) {
            lastAbove = sizes.get(i) > FLOOR ? i : lastAbove;
        }
        int atFloor = sizes.subList(lastAbove + 1, sizes.size()).indexOf(FLOOR);
        double backAtFloorS = atFloor < 0 ? -1 : (lastAbove + 1 + atFloor) * SAMPLE_MS / 1000.0;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("burstPoolFloor", FLOOR);
        figures.put("burstPoolPeakAtRest", peak);
        figures.put("burstPoolSizesAtRest", sizes);
        figures.put("burstSampleMs", SAMPLE_MS);
        figures.put("burstBackAtFloorSeconds", BenchMain.round(backAtFloorS));
        return figures;
    }
}
