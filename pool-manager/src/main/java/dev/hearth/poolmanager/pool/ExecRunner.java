package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.ContainerSpec;
import dev.hearth.poolmanager.support.JsonCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code exec} contract, the design Hearth grew from: one hardened container per invocation,
 * the event (JSON) on its stdin, its stdout the result, its stderr the invocation's log, and a
 * non-zero exit status a function error. Stdout that is JSON is the result as it is; any other
 * output is returned as a JSON string.
 */
final class ExecRunner {

    private static final Logger log = LoggerFactory.getLogger(ExecRunner.class);
    /** The result may be as large as an agent's. */
    static final int MAX_STDOUT_BYTES = 6 * 1024 * 1024;

    private final Fleet fleet;
    private final ObjectMapper json;
    private final Clock clock;
    private final LongSupplier nanos;
    private final String node;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) for the call's timings */
    ExecRunner(Fleet fleet, ObjectMapper json, Clock clock, LongSupplier nanos, String node) {
        this.node = node;
        this.fleet = fleet;
        this.json = json;
        this.clock = clock;
        this.nanos = nanos;
    }

    Invocation run(InvokeRequest request, Workload.Image image) throws InterruptedException {
        FunctionSpec function = request.function();
        long deadline = clock.millis() + function.timeoutMs();
        Map<String, String> env = new LinkedHashMap<>(ImageEnv.of(function));
        env.put("HEARTH_INVOCATION_ID", request.invocationId());
        env.put("HEARTH_DEADLINE_MS", Long.toString(deadline));
        ContainerSpec spec = fleet.oneOff(image.reference(), env, function.memoryMb(), function.egress(), function.owner());
        var capture = new Capture(request.invocationId(), clock);
        long started = nanos.getAsLong();
        ContainerEngine.AttachedResult result;
        try {
            result = fleet.runOnce(spec, request.event(), Duration.ofMillis(function.timeoutMs()), capture, 
                    Demand.background(function.owner()));
        } catch (NotFoundException e) {
            Outcome gone = Outcome.FunctionError.of("Runtime.ImageMissing",
                    "the image " + image.reference() + " is no longer on this node");
            return new Invocation(request.invocationId(), StartKind.COLD, gone, micros(started), 0, null, node);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoolException pool) {
                throw pool;
            }
            // The engine's words may name host paths: they go to the log, not to the caller.
            log.warn("cannot run the exec image {}: {}", image.reference(), e.toString());
            throw new PoolException("this node could not run the image " + image.reference(), e);
        } finally {
            fleet.oneOffDone(spec);
        }
        long total = micros(started);
        return new Invocation(request.invocationId(), StartKind.COLD, outcome(function, result, capture),
                result.startMicros(), Math.max(0, total - result.startMicros()), capture.logs.bytes(), node);
    }

    private Outcome outcome(FunctionSpec function, ContainerEngine.AttachedResult result, Capture capture) {
        if (result.timedOut()) {
            return new Outcome.Timeout(function.timeoutMs());
        }
        if (result.oomKilled()) {
            return new Outcome.Crashed("the function ran out of memory (memoryMb " + function.memoryMb() + ") and was killed");
        }
        if (result.exitCode() != 0) {
            return Outcome.FunctionError.of("Runtime.ExitError", "the process exited with status " + result.exitCode());
        }
        if (capture.stdoutTooLarge) {
            return Outcome.FunctionError.of("Runtime.ResponseTooLarge",
                    "the process wrote more than " + MAX_STDOUT_BYTES / (1024 * 1024) + " MiB to stdout");
        }
        return new Outcome.Success(result(capture.stdout.toByteArray()));
    }

    /** Stdout as JSON: itself when it parses, else a JSON string of the text (one trailing newline dropped). */
    byte[] result(byte[] stdout) {
        String text = new String(stdout, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return "null".getBytes(StandardCharsets.UTF_8);
        }
        if (JsonCheck.isJson(stdout)) {
            return text.strip().getBytes(StandardCharsets.UTF_8);
        }
        String value = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }

    private long micros(long startedNanos) {
        return (nanos.getAsLong() - startedNanos) / 1_000;
    }

    /** Stdout up to the result limit; stderr as the invocation's tagged log lines. */
    private static final class Capture implements ContainerEngine.Streams {
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final LogLines logs;
        boolean stdoutTooLarge;

        Capture(String invocationId, Clock clock) {
            this.logs = new LogLines(invocationId, "stderr", AgentClient.MAX_LOG_BYTES - 256, clock);
        }

        @Override
        public void stdout(byte[] bytes) {
            if (stdout.size() + bytes.length > MAX_STDOUT_BYTES) {
                stdoutTooLarge = true;
            } else {
                stdout.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void stderr(byte[] bytes) {
            logs.append(bytes);
        }
    }
}
