package dev.hearth.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What resolving an alias costs a warm call ({@code HEARTH_BENCH_ONLY=alias}): one function with
 * two versions and an alias {@value #ALIAS} on version 1 sending half its calls to version 2;
 * warm calls over REST of the unqualified name (A, the serving version 2) and of
 * {@code ?qualifier=prod} (B) interleaved in pairs, each pair's order drawn at random, so the
 * machine's drift and any order effect fall on both alike. The figure is B's p50 less A's.
 */
final class AliasFigures {

    private static final Logger log = LoggerFactory.getLogger(AliasFigures.class);
    static final String FUNCTION = "aliased";
    static final String ALIAS = "prod";
    /** One warm container per version, and spares. */
    private static final int POOL_SIZE = 4;

    /**
     * @param warmup how long both kinds of call run, interleaved and not counted, before the
     *               measurement: for the JIT, and both versions' containers warm
     * @param pairs  how many calls of each kind are measured
     */
    record Plan(Duration warmup, int pairs) {
        static Plan of(boolean quick) {
            return quick ? new Plan(Duration.ofSeconds(5), 3_000) : new Plan(Duration.ofSeconds(10), 5_000);
        }
    }

    private AliasFigures() {}

    static Map<String, Object> measure(String runtime, Plan plan) throws Exception {
        try (var hearth = new BenchHearth(runtime, POOL_SIZE)) {
            BenchClient client = hearth.client();
            hearth.create(FUNCTION);
            client.put("/v1/functions/" + FUNCTION, BenchClient.function(FUNCTION, runtime), 200);
            client.put("/v1/functions/" + FUNCTION + "/aliases/" + ALIAS,
                    Map.of("version", 1, "weights", Map.of("2", 0.5)), 200);
            var random = new SplittableRandom(15);
            long end = System.nanoTime() + plan.warmup().toNanos();
            while (System.nanoTime() < end) {
                pair(client, random, new double[2], false);
            }
            double[] unqualified = new double[plan.pairs()];
            double[] aliased = new double[plan.pairs()];
            long[] versions = new long[plan.pairs()];
            for (int i = 0; i < plan.pairs(); i++) {
                double[] both = new double[2];
                versions[i] = pair(client, random, both, true);
                unqualified[i] = both[0];
                aliased[i] = both[1];
            }
            Map<String, Object> figures = figures(unqualified, aliased, versions);
            log.info("{} alias: {}", runtime, figures);
            return figures;
        }
    }

    /**
     * One call of each kind, in an order drawn at random; their latencies in ms into
     * {@code into} (unqualified first). Returns the version the aliased call ran.
     *
     * @param warm whether both calls must have found a warm container (after the warm-up)
     */
    private static long pair(BenchClient client, SplittableRandom random, double[] into, boolean warm) throws IOException {
        boolean unqualifiedFirst = random.nextBoolean();
        BenchClient.Answer first = timed(client, unqualifiedFirst ? null : ALIAS, into, unqualifiedFirst ? 0 : 1);
        BenchClient.Answer second = timed(client, unqualifiedFirst ? ALIAS : null, into, unqualifiedFirst ? 1 : 0);
        BenchClient.Answer plain = unqualifiedFirst ? first : second;
        BenchClient.Answer viaAlias = unqualifiedFirst ? second : first;
        if (warm && !("warm".equals(plain.start()) && "warm".equals(viaAlias.start()))) {
            throw new IllegalStateException("a call after the warm-up was not warm: " + plain + ", " + viaAlias);
        }
        if (!"2".equals(plain.version()) || !("1".equals(viaAlias.version()) || "2".equals(viaAlias.version()))) {
            throw new IllegalStateException("unexpected versions ran: " + plain + ", " + viaAlias);
        }
        return Long.parseLong(viaAlias.version());
    }

    /** One call, unqualified when {@code qualifier} is null; its latency in ms into {@code into[index]}. */
    private static BenchClient.Answer timed(BenchClient client, String qualifier, double[] into, int index) throws IOException {
        long started = System.nanoTime();
        BenchClient.Answer answer = client.invoke(FUNCTION, qualifier);
        into[index] = (System.nanoTime() - started) / 1e6;
        return answer;
    }

    /**
     * The p50s and p99s of both kinds and the p50 difference; and the aliased calls' p50 by the
     * version they ran (version 2 is the serving one, version 1 is looked up apart).
     */
    static Map<String, Object> figures(double[] unqualified, double[] aliased, long[] versions) {
        double p50A = NeighbourFigures.percentile(unqualified, 50);
        double p50B = NeighbourFigures.percentile(aliased, 50);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("unqualifiedP50Ms", round3(p50A));
        figures.put("aliasP50Ms", round3(p50B));
        figures.put("aliasOverheadP50Ms", round3(p50B - p50A));
        figures.put("unqualifiedP99Ms", round3(NeighbourFigures.percentile(unqualified, 99)));
        figures.put("aliasP99Ms", round3(NeighbourFigures.percentile(aliased, 99)));
        for (long version : new long[] {1, 2}) {
            double[] ran = IntStream.range(0, aliased.length).filter(i -> versions[i] == version).mapToDouble(i -> aliased[i]).toArray();
            figures.put("aliasOnVersion" + version + "P50Ms", ran.length == 0 ? null : round3(NeighbourFigures.percentile(ran, 50)));
            figures.put("aliasOnVersion" + version + "Calls", ran.length);
        }
        return figures;
    }

    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
