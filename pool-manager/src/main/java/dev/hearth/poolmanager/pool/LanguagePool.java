package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.pool.Resting.Prewarmed;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The generic containers of one language: those waiting, those starting, the floor and ceiling
 * of its size, its recent demand and the first calls it expects, how long its starts take, and the backoff of failed starts.
 * {@link PrewarmedPools} is the only one to change it.
 */
final class LanguagePool {

    /** What a start is assumed to take before one was measured. */
    static final Duration ASSUMED_START = Duration.ofSeconds(1);

    final Language language;
    final ContainerFactory.Template template;
    /** Kept whatever the demand ({@code HEARTH_POOL_<RUNTIME>}). */
    final int floor;
    /** The most this pool holds, however high the demand ({@code HEARTH_POOL_MAX_<RUNTIME>}). */
    final int ceiling;
    final ConcurrentLinkedDeque<Prewarmed> ready = new ConcurrentLinkedDeque<>();
    final AtomicInteger starting = new AtomicInteger();
    /** Consecutive failed starts, for backing off when the engine or image is broken. */
    final AtomicInteger failures = new AtomicInteger();
    /** Set while a retry after a failed start is scheduled, so failures do not multiply retries. */
    final AtomicBoolean retryPending = new AtomicBoolean();
    private final DemandWindow demand;
    private final ExpectedCalls expected;
    private long startMillis = ASSUMED_START.toMillis();
    private volatile boolean filledOnce;

    LanguagePool(Language language, ContainerFactory.Template template, int floor, int ceiling, Duration window) {
        this.language = language;
        this.template = template;
        this.floor = floor;
        this.ceiling = Math.max(floor, ceiling);
        this.demand = new DemandWindow(window);
        this.expected = new ExpectedCalls(window, this.ceiling);
        this.filledOnce = floor == 0;
    }

    synchronized double rate(Instant now) {
        return demand.peakRate(now);
    }

    /**
     * A version was deployed whose first call is to come: it is expected for a window (counted
     * as one container to come, not in the rate: its call is, when it comes).
     */
    synchronized void expect(VersionKey version, Instant now) {
        expected.expect(version, now);
    }

    /**
     * A specialization of {@code version} asked for a container of this pool (whether it found one
     * or not): it counts as demand, and the version's first call is no longer expected.
     */
    synchronized void taken(VersionKey version, Instant now) {
        demand.record(now);
        expected.arrived(version);
    }

    /** The versions {@code retired} picks were retired: the pool no longer holds containers for their first calls. */
    synchronized void withdraw(Predicate<VersionKey> retired) {
        expected.withdraw(retired);
    }

    synchronized int expected(Instant now) {
        return expected.count(now);
    }

    /** A start took {@code took}: the estimate moves a quarter of the way towards it. */
    synchronized void started(Duration took) {
        if (!took.isNegative() && !took.isZero()) {
            startMillis = Math.max(1, (3 * startMillis + took.toMillis()) / 4);
        }
    }

    synchronized Duration startTime() {
        return Duration.ofMillis(startMillis);
    }

    void markIfFilled() {
        if (ready.size() >= floor) {
            filledOnce = true;
        }
    }

    boolean filledOnce() {
        return filledOnce;
    }
}
