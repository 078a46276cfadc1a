package dev.hearth.controlplane.invoke;

import dev.hearth.controlplane.call.Answer;
import dev.hearth.controlplane.call.ConcurrencyLimiter;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Resolver;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.invocation.InvocationLog;
import dev.hearth.controlplane.invocation.InvocationRecord;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * Runs one synchronous call of a resolved version, within its function's and its owner's
 * concurrency limits, and records it: what {@code /invoke}, routes and function URLs share.
 */
public final class SyncCalls {

    /** One call as it ended: its id, what the pool reported, and how its outcome shows. */
    public record Done(String invocationId, Invocation invocation, Answer answer) {}

    private final PoolManager pool;
    private final InvocationLog invocations;
    private final ConcurrencyLimiter limiter;
    private final Clock clock;
    private final LongSupplier nanos;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) a call's whole time is measured on */
    public SyncCalls(PoolManager pool, InvocationLog invocations, ConcurrencyLimiter limiter, Clock clock, LongSupplier nanos) {
        this.pool = pool;
        this.invocations = invocations;
        this.limiter = limiter;
        this.clock = clock;
        this.nanos = nanos;
    }

    /** 409 unless the target version is {@code ready}, naming the version when the call named one. */
    public static void requireReady(Resolver.Target target, String qualifier) {
        FunctionRecord function = target.version();
        if (function.status() != FunctionRecord.Status.READY) {
            String which = qualifier == null ? "function '" + function.name() + "'"
                    : "version " + function.version() + " of '" + function.name() + "'";
            throw ApiException.conflict(which + " is " + function.status().id()
                    + " and cannot be invoked" + (function.status() == FunctionRecord.Status.BUILDING ? " yet" : ""));
        }
    }

    /**
     * Runs the call and records it, timed from {@code startedNanos} (when the request arrived).
     *
     * @param clientContext the caller's {@code X-Amz-Client-Context}, already checked; null without one
     * @throws ApiException 429 over a concurrency limit or with the node full, 503 when no container can be had
     */
    public Done run(String owner, Resolver.Target target, String invocationId, byte[] event, String clientContext, long startedNanos)
            throws InterruptedException {
        FunctionRecord function = target.version();
        Invocation invocation;
        try (var permit = limiter.acquire(function)) {
            invocation = pool.invoke(new InvokeRequest(function.spec(), invocationId, event, target.qualifier(), clientContext));
        } catch (PoolException e) {
            throw e.atCapacity() ? ApiException.throttled(e.getMessage()) : ApiException.unavailable(e.getMessage());
        }
        Answer answer = Answer.of(invocation);
        invocations.record(new InvocationRecord(invocationId, owner, function.id(), function.name(), function.version(),
                target.alias(), invocation.start().header(), invocation.node(), invocation.initMicros(), invocation.runMicros(),
                (nanos.getAsLong() - startedNanos) / 1_000, answer.recordStatus(), answer.errorType(), answer.errorMessage(),
                new String(invocation.logs(), StandardCharsets.UTF_8), clock.instant()));
        return new Done(invocationId, invocation, answer);
    }
}
