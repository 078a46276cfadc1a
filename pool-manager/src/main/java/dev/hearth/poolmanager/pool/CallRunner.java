package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.pool.Resting.Warm;
import dev.hearth.poolmanager.support.JsonCheck;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call in a container the caller holds, says what came of it, and decides where the
 * container goes after: back to its version's set when it can be trusted with another call,
 * else removed.
 *
 * <p>Failure policy: a container whose handler answered (a result, a function error) is reused;
 * one that timed out (its handler may still run), crashed, refused the call or sent a reply too
 * large (cut off unread) is removed. An image's answers are checked, since only Hearth's own agents are trusted to
 * answer JSON. The engine is asked why a container crashed only once it has, never on the good path.
 */
final class CallRunner {

    private static final Logger log = LoggerFactory.getLogger(CallRunner.class);
    /** Room beyond the function's timeout for the reply to travel back. */
    private static final Duration RUN_GRACE = Duration.ofMillis(250);

    private final AgentClient agent;
    private final ContainerEngine engine;
    private final Fleet fleet;
    private final Clock clock;
    private final LongSupplier nanos;
    private final String node;
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean closed;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) for the call's timings */
    CallRunner(AgentClient agent, ContainerEngine engine, Fleet fleet, Clock clock, LongSupplier nanos, String node) {
        this.agent = agent;
        this.engine = engine;
        this.fleet = fleet;
        this.clock = clock;
        this.nanos = nanos;
        this.node = node;
    }

    /** What became of one run, and whether the container may take another call. */
    private record Ran(Outcome outcome, byte[] logs, boolean reusable) {}

    /** Runs the call in {@code container}, which the caller owns; it is given back to {@code set} or removed. */
    Invocation run(WarmSet set, ContainerHandle container, InvokeRequest request, StartKind kind, long initMicros) {
        FunctionSpec function = request.function();
        busy.incrementAndGet();
        long started = nanos.getAsLong();
        Ran ran;
        try {
            ran = call(container, request);
        } finally {
            busy.decrementAndGet();
        }
        long runMicros = (nanos.getAsLong() - started) / 1_000;
        // An owner over its share whose container comes free gives its room to the call waiting longest for one.
        boolean yields = ran.reusable() && fleet.yields(container);
        if (yields) {
            log.debug("container {} of {} makes way for a waiting call of another user", container.id(), function.name());
        }
        if (!(ran.reusable() && !closed && !yields && set.giveBack(new Warm(container, function.key(), clock.instant())))) {
            fleet.discard(container);
        }
        return new Invocation(request.invocationId(), kind, ran.outcome(), initMicros, runMicros, ran.logs(), node);
    }

    private Ran call(ContainerHandle container, InvokeRequest request) {
        FunctionSpec function = request.function();
        try {
            long deadline = clock.millis() + function.timeoutMs();
            AgentReply reply = agent.run(container.socket(), request, deadline, Duration.ofMillis(function.timeoutMs()).plus(RUN_GRACE));
            byte[] logs = reply.logs().length > AgentClient.MAX_LOG_BYTES
                    ? Arrays.copyOf(reply.logs(), AgentClient.MAX_LOG_BYTES) : reply.logs();
            return new Ran(answer(reply, function.workload() instanceof Workload.Image), logs, reply.ok() || reply.functionError());
        } catch (TimeoutException e) {
            // The handler may still be running: the container cannot be trusted with another call.
            return new Ran(new Outcome.Timeout(function.timeoutMs()), null, false);
        } catch (AgentClient.ReplyTooLargeException e) {
            return new Ran(Outcome.FunctionError.of("Runtime.ResponseTooLarge",
                    "the handler's result is larger than the " + AgentClient.MAX_REPLY_BYTES / (1024 * 1024) + " MiB limit"),
                    null, false);
        } catch (IOException e) {
            return new Ran(crashed(container, function), null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ran(new Outcome.Crashed("interrupted"), null, false);
        }
    }

    /** The outcome of an answered call; an image's answers must be JSON, Hearth's agents' are trusted. */
    private static Outcome answer(AgentReply reply, boolean image) {
        if (reply.ok() && image && !JsonCheck.isJson(reply.body())) {
            return Outcome.FunctionError.of("Runtime.InvalidResponse", "the image's /run answered 200 with a body that is not JSON");
        }
        if (reply.ok()) {
            return new Outcome.Success(reply.body());
        }
        if (reply.functionError()) {
            return new Outcome.FunctionError(image && !JsonCheck.isJson(reply.body())
                    ? Outcome.FunctionError.json("Runtime.FunctionError", "the image's /run reported a function error without a JSON error object")
                    : reply.body());
        }
        return new Outcome.Crashed("agent refused the invocation with HTTP " + reply.status());
    }

    /**
     * Why the call's container failed, and the status it exited with where the engine knows it
     * (it has waited for the exit while telling an out-of-memory kill). Asked only once a call has
     * failed, so the engine is never queried on the good path.
     */
    private Outcome.Crashed crashed(ContainerHandle container, FunctionSpec function) {
        boolean outOfMemory = false;
        Integer exitStatus = null;
        try {
            outOfMemory = engine.killedForMemory(container.id());
            OptionalInt status = engine.exitStatus(container.id());
            exitStatus = status.isPresent() ? status.getAsInt() : null;
        } catch (RuntimeException e) {
            log.debug("cannot inspect crashed container {}: {}", container.id(), e.getMessage());
        }
        return new Outcome.Crashed(outOfMemory
                ? "the function ran out of memory (memoryMb " + function.memoryMb() + ") and was killed"
                : "the function's process exited or was killed mid-call", exitStatus);
    }

    /** Calls running now. */
    int busy() {
        return busy.get();
    }

    /** From now on containers are removed after their call, never given back. */
    void close() {
        closed = true;
    }
}
