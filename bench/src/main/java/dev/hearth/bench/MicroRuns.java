package dev.hearth.bench;

import java.util.Collection;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Short JMH runs of the in-process benchmarks (route matching, the HTTP event and answer): one fork, a few seconds. */
final class MicroRuns {

    private MicroRuns() {}

    /** Runs the benchmarks {@code include} (a JMH regex) names, shorter when {@code quick}. */
    static Collection<RunResult> run(String include, boolean quick) throws RunnerException {
        var options = new OptionsBuilder()
                .include(include)
                .forks(1).shouldFailOnError(true)
                .warmupIterations(quick ? 1 : 2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 3).measurementTime(TimeValue.seconds(1))
                .build();
        return new Runner(options).run();
    }

    /** Puts {@code <prefix>P50Ns} and {@code <prefix>P99Ns} of a sample-time result. */
    static void putPercentiles(Map<String, Object> figures, String prefix, RunResult result) {
        var statistics = result.getPrimaryResult().getStatistics();
        figures.put(prefix + "P50Ns", BenchMain.round(statistics.getPercentile(50)));
        figures.put(prefix + "P99Ns", BenchMain.round(statistics.getPercentile(99)));
    }
}
