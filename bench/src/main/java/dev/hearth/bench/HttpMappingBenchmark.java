package dev.hearth.bench;

import dev.hearth.controlplane.invocation.InvocationIds;
import dev.hearth.controlplane.route.HttpAnswer;
import dev.hearth.controlplane.route.HttpEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The code a route call runs that an /invoke call does not, alone ({@code HEARTH_BENCH_ONLY=http},
 * also in the full run, once): {@link HttpEvent#of} for the request {@link HttpFigures} sends
 * through its route (the headers {@code HttpURLConnection} sends, the token header already taken
 * out, one path parameter, no body), and {@link HttpAnswer#fromResult} for its handler's answer.
 * No Docker, no Hearth, no HTTP: what is left of a measured overhead beyond these is elsewhere.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpMappingBenchmark {

    /** The handler's result as the Python agent sends it back. */
    static final byte[] RESULT = "{\"statusCode\": 200, \"body\": \"ok\"}".getBytes(StandardCharsets.UTF_8);

    @State(Scope.Thread)
    public static class Call {
        final List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Accept", "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"),
                Map.entry("Connection", "keep-alive"),
                Map.entry("User-Agent", "Java/17.0.15"),
                Map.entry("Host", "127.0.0.1:41105"));
        final Instant time = Instant.parse("2026-12-02T04:50:00Z");
        int next;
    }

    /** The 2.0 event of one route request, the request record made as the endpoint makes it. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public byte[] event(Call call) {
        String id = Integer.toString(call.next++ & 0xFFFFF);
        var request = new HttpEvent.Request("GET", "/bench/" + id, "", call.headers, "127.0.0.1", new byte[0],
                "GET /bench/{id}", Map.of("id", id), InvocationIds.next(1_796_000_000_000L), call.time,
                "127.0.0.1", "$default", "6f1d2c3b4a5968778695a4b3", "rt_0123456789abcdef");
        return HttpEvent.of(request);
    }

    /** The response for the handler's {@code {"statusCode": 200, "body": "ok"}}. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public HttpAnswer.Response answer() {
        return HttpAnswer.fromResult(RESULT);
    }

    /** p50 and p99 of each, in ns. */
    static Map<String, Object> measure(boolean quick) throws RunnerException {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (RunResult result : MicroRuns.run(HttpMappingBenchmark.class.getName() + "\\.(event|answer)$", quick)) {
            String name = result.getParams().getBenchmark();
            MicroRuns.putPercentiles(figures, name.substring(name.lastIndexOf('.') + 1), result);
        }
        return figures;
    }
}
