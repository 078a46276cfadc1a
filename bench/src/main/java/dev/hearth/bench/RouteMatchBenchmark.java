package dev.hearth.bench;

import dev.hearth.controlplane.route.RoutePattern;
import dev.hearth.controlplane.route.RouteTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Route matching ({@code HEARTH_BENCH_ONLY=routes}, also in the full run): {@link RouteTable#match}
 * with 10 and with 10,000 generated routes (literals, parameters, greedy tails, a tenth on hosts),
 * against requests that match routes drawn across the table. No Docker, no Hearth: the table alone.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteMatchBenchmark {

    /** Requests cycled through; a power of two. */
    private static final int REQUESTS = 1024;

    @State(Scope.Thread)
    public static class Table {
        @Param({"10", "10000"})
        public int routes;
        RouteTable<Integer> table;
        String[] hosts;
        String[] paths;
        int next;

        @Setup(Level.Trial)
        public void build() {
            table = RouteTable.of(entries(routes));
            var random = new SplittableRandom(16);
            hosts = new String[REQUESTS];
            paths = new String[REQUESTS];
            for (int i = 0; i < REQUESTS; i++) {
                int route = random.nextInt(routes);
                hosts[i] = host(route) == null ? "hearth.example:8080" : host(route).toUpperCase(Locale.ROOT) + ":443";
                paths[i] = request(route, random);
                if (table.match(hosts[i], "GET", paths[i]).map(m -> m.value() != route).orElse(true)) {
                    throw new IllegalStateException(paths[i] + " does not reach route " + route);
                }
            }
        }
    }

    /** One request's route and parameters. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Optional<RouteTable.Match<Integer>> match(Table state) {
        int i = state.next++ & (REQUESTS - 1);
        return state.table.match(state.hosts[i], "GET", state.paths[i]);
    }

    static List<RouteTable.Entry<Integer>> entries(int count) {
        List<RouteTable.Entry<Integer>> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new RouteTable.Entry<>(host(i), "GET", RoutePattern.parse(pattern(i)), i));
        }
        return entries;
    }

    private static String host(int route) {
        return route % 10 == 9 ? "tenant" + route + ".example.com" : null;
    }

    private static String pattern(int route) {
        return switch (route % 5) {
            case 0 -> "/api/svc" + route + "/users/{userId}";
            case 1 -> "/api/svc" + route + "/users/{userId}/orders/{orderId}/items";
            case 2 -> "/shop" + route + "/{category}/{product}";
            case 3 -> "/static" + route + "/{path+}";
            default -> "/{tenant}/hooks/h" + route;
        };
    }

    private static String request(int route, SplittableRandom random) {
        String id = Integer.toString(random.nextInt(1_000_000));
        return switch (route % 5) {
            case 0 -> "/api/svc" + route + "/users/u" + id;
            case 1 -> "/api/svc" + route + "/users/u" + id + "/orders/o%20" + id + "/items";
            case 2 -> "/shop" + route + "/books/isbn-" + id;
            case 3 -> "/static" + route + "/css/v" + id + "/site.css";
            default -> "/acme" + id + "/hooks/h" + route;
        };
    }

    /** p50 and p99 of a match with 10 and 10,000 routes, and the median build of 10,000 (patterns parsed). */
    static Map<String, Object> measure(boolean quick) throws RunnerException {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (RunResult result : MicroRuns.run(RouteMatchBenchmark.class.getName() + "\\.match$", quick)) {
            MicroRuns.putPercentiles(figures, "match" + result.getParams().getParam("routes"), result);
        }
        figures.put("build10000Ms", BenchMain.round(buildMillis(10_000)));
        return figures;
    }

    /** The median of a few builds of {@code count} routes, patterns parsed, after as many not counted. */
    private static double buildMillis(int count) {
        double[] millis = new double[9];
        for (int round = -millis.length; round < millis.length; round++) {
            long start = System.nanoTime();
            RouteTable.of(entries(count));
            if (round >= 0) {
                millis[round] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        return millis[millis.length / 2];
    }
}
