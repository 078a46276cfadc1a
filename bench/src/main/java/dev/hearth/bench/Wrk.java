package dev.hearth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (Debian's package; {@code ./hearth bench} installs it), the load generator, run as a process
 * that keeps a number of keep-alive connections busy with invocations, and its report read back.
 */
final class Wrk {

    /** What one run measured: calls per second, latency percentiles, and the calls that did not answer 2xx. */
    record Report(double perSec, double p50Ms, double p99Ms, long failed) {}

    private static final Pattern PER_SEC = Pattern.compile("^Requests/sec:\\s+([\\d.]+)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("^\\s*Non-2xx or 3xx responses:\\s+(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.~+/=-]+");

    private Wrk() {}

    /**
     * Invokes {@code url} over {@code connections} connections for {@code duration}; fails when wrk
     * does, or, unless {@code failuresAllowed}, when any call answered other than 2xx (a throughput
     * of errors measures nothing).
     */
    static Report run(String url, String token, int connections, Duration duration, Path scratch, boolean failuresAllowed)
            throws IOException, InterruptedException {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("unexpected characters in the token");
        }
        Path script = scratch.resolve("invoke.lua");
        Files.writeString(script, "wrk.method = \"POST\"\n"
                + "wrk.body = '" + new String(BenchClient.EVENT, StandardCharsets.UTF_8) + "'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
        List<String> command = List.of("wrk", "--latency", "--timeout", "10s", "-t", Integer.toString(Math.min(connections, 2)),
                "-c", Integer.toString(connections), "-d", duration.toSeconds() + "s", "-s", script.toString(), url);
        Process wrk;
        try {
            wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run wrk (apt-get install wrk; ./hearth bench installs it): " + e.getMessage(), e);
        }
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Report report = parse(output);
        if (report.failed() > 0 && !failuresAllowed) {
            throw new IllegalStateException(report.failed() + " calls failed under load:\n" + output);
        }
        return report;
    }

    /** Reads wrk's report (as printed with {@code --latency}). */
    static Report parse(String output) {
        long failed = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            failed += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                failed += Long.parseLong(socket.group(group));
            }
        }
        return new Report(Double.parseDouble(find(PER_SEC, output)), percentileMs(output, "50"), percentileMs(output, "99"), failed);
    }

    private static double percentileMs(String output, String percentile) {
        Matcher m = Pattern.compile("^\\s+" + percentile + "%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + "th percentile in wrk's report:\n" + output);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1_000;
            case "ms" -> value;
            default -> value * 1_000;
        };
    }

    private static String find(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("wrk's report lacks " + pattern.pattern() + ":\n" + output);
        }
        return m.group(1);
    }
}
