package dev.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What serving HTTP through a route or a function URL adds to a warm call
 * ({@code HEARTH_BENCH_ONLY=http}): one function whose handler answers
 * {@code {"statusCode": 200, "body": "ok"}} to any event, a route {@code GET /bench/{id}} and a
 * function URL to it (both {@code token}, so all three calls authenticate alike); warm calls of
 * (A) {@code POST /v1/functions/{name}/invoke}, (B) {@code GET /bench/<n>} and (C)
 * {@code GET /fn/<url id>/bench/<n>} interleaved in triples, each triple's order drawn at random,
 * so the machine's drift falls on all three alike. The figures are B's and C's p50 less A's.
 */
final class HttpFigures {

    private static final Logger log = LoggerFactory.getLogger(HttpFigures.class);
    static final String FUNCTION = "http-ok";
    /** One warm container, and spares. */
    private static final int POOL_SIZE = 2;
    private static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);
    private static final int INVOKE = 0;
    private static final int ROUTE = 1;
    private static final int URL = 2;
    /** Every this many route and URL calls, one has its invocation record checked to have started warm. */
    private static final int CHECK_EVERY = 10;

    /**
     * @param warmup  how long all three kinds of call run, interleaved and not counted, first
     * @param triples how many calls of each kind are measured
     */
    record Plan(Duration warmup, int triples) {
        static Plan of(boolean quick) {
            return quick ? new Plan(Duration.ofSeconds(3), 2_000) : new Plan(Duration.ofSeconds(5), 3_000);
        }
    }

    private HttpFigures() {}

    static Map<String, Object> measure(String runtime, Plan plan) throws Exception {
        try (var hearth = new BenchHearth(runtime, POOL_SIZE)) {
            BenchClient client = hearth.client();
            client.post("/v1/functions", BenchClient.function(FUNCTION, runtime, BenchCode.okHandler(runtime), BenchCode.okFiles(runtime)), 201);
            client.post("/v1/routes", Map.of("method", "GET", "path", "/bench/{id}", "function", FUNCTION, "auth", "token"), 201);
            JsonNode url = client.put("/v1/functions/" + FUNCTION + "/url", Map.of("auth", "token"), 200);
            String[] paths = {"/v1/functions/" + FUNCTION + "/invoke", "/bench/", URI.create(url.get("url").asText()).getRawPath() + "bench/"};

            var random = new SplittableRandom(16);
            double[][] millis = new double[3][1];
            long end = System.nanoTime() + plan.warmup().toNanos();
            while (System.nanoTime() < end) {
                triple(client, paths, random, millis, 0, null);
            }
            millis = new double[3][plan.triples()];
            List<String> viaHttp = new ArrayList<>(2 * plan.triples());
            // The route's and URL's answers carry no start kind: their records are read after.
            for (int i = 0; i < plan.triples(); i++) {
                triple(client, paths, random, millis, i, viaHttp);
            }
            requireWarm(client, viaHttp);
            Map<String, Object> figures = figures(millis[INVOKE], millis[ROUTE], millis[URL]);
            log.info("{} http: {}", runtime, figures);
            return figures;
        }
    }

    /**
     * One call of each kind in an order drawn at random, their latencies in ms into
     * {@code millis[kind][index]}; each answer checked (200, and "ok" through a route or URL, the
     * handler's result as it is through /invoke, which must say it was warm). The route's and
     * URL's invocation ids go into {@code viaHttp}, their records to be checked after; null in
     * the warm-up, whose calls need not be warm.
     */
    private static void triple(BenchClient client, String[] paths, SplittableRandom random, double[][] millis, int index,
                               List<String> viaHttp) throws IOException {
        int[] order = {INVOKE, ROUTE, URL};
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        for (int kind : order) {
            String id = Integer.toString(random.nextInt(1_000_000));
            long started = System.nanoTime();
            BenchClient.Reply reply = kind == INVOKE ? client.request("POST", paths[INVOKE], BenchClient.EVENT)
                    : client.request("GET", paths[kind] + id, null);
            millis[kind][index] = (System.nanoTime() - started) / 1e6;
            check(kind, reply, viaHttp != null);
            if (kind != INVOKE && viaHttp != null) {
                viaHttp.add(reply.invocationId());
            }
        }
    }

    private static void check(int kind, BenchClient.Reply reply, boolean warm) {
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        if (reply.status() != 200 || reply.invocationId() == null) {
            throw new IllegalStateException("call kind " + kind + " answered " + reply.status() + ": " + body);
        }
        boolean ok = kind == INVOKE ? (!warm || "warm".equals(reply.start())) && body.contains("\"ok\"")
                : Arrays.equals(OK, reply.body());
        if (!ok) {
            throw new IllegalStateException("call kind " + kind + " was not a warm 'ok': start " + reply.start() + ", body " + body);
        }
    }

    /**
     * Every {@value #CHECK_EVERY}th measured route and URL call's invocation record says it
     * started warm (all of them take 10 s to read on a loaded machine; one in ten catches a
     * warm-up too short, which leaves whole stretches cold, not single calls).
     */
    private static void requireWarm(BenchClient client, List<String> invocationIds) throws IOException {
        long started = System.nanoTime();
        for (int i = 0; i < invocationIds.size(); i += CHECK_EVERY) {
            String id = invocationIds.get(i);
            BenchClient.Reply record = client.request("GET", "/v1/invocations/" + id, null);
            String start = record.status() == 200 ? BenchClient.JSON.readTree(record.body()).path("start").asText() : null;
            if (!"warm".equals(start)) {
                throw new IllegalStateException("invocation " + id + " was not warm: " + record.status() + " "
                        + new String(record.body(), StandardCharsets.UTF_8));
            }
        }
        log.info("{} of {} route and URL invocation records checked warm in {} ms", (invocationIds.size() + CHECK_EVERY - 1) / CHECK_EVERY,
                invocationIds.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** The p50s and p99s of the three kinds, and the route's and URL's p50 less /invoke's. */
    static Map<String, Object> figures(double[] invoke, double[] route, double[] url) {
        double invokeP50 = NeighbourFigures.percentile(invoke, 50);
        double routeP50 = NeighbourFigures.percentile(route, 50);
        double urlP50 = NeighbourFigures.percentile(url, 50);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("invokeP50Ms", AliasFigures.round3(invokeP50));
        figures.put("routeP50Ms", AliasFigures.round3(routeP50));
        figures.put("urlP50Ms", AliasFigures.round3(urlP50));
        figures.put("routeOverheadP50Ms", AliasFigures.round3(routeP50 - invokeP50));
        figures.put("urlOverheadP50Ms", AliasFigures.round3(urlP50 - invokeP50));
        figures.put("invokeP99Ms", AliasFigures.round3(NeighbourFigures.percentile(invoke, 99)));
        figures.put("routeP99Ms", AliasFigures.round3(NeighbourFigures.percentile(route, 99)));
        figures.put("urlP99Ms", AliasFigures.round3(NeighbourFigures.percentile(url, 99)));
        figures.put("httpCallsEach", invoke.length);
        return figures;
    }
}
