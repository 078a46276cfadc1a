package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.support.Threads;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a call a container of its function version when none is idle. The call waits for
 * whichever comes first: a container given back by another call of the version, or one started
 * for the waiting calls, of which no more are under way than calls wait. A burst larger than the
 * warm containers is served by them as they come free while new ones start, and the version never
 * gets more containers than it has calls at once.
 *
 * <p>Failure policy: a start the node refuses because it is full only delays the waiting calls
 * (a container may come back, or an idle one of another function be evicted to make room); it is
 * tried again every round (50 ms), and a call that has seen the node full for {@link #QUEUE_WAIT}
 * is refused as throttled. Any other refusal, and a start that fails for the function's own
 * reason, answers the longest-waiting call.
 */
final class Acquirer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Acquirer.class);

    /** How long a call may wait on a full node: as long as a call waits in a function's concurrency queue. */
    static final Duration QUEUE_WAIT = Duration.ofSeconds(1);
    /** How often a waiting call looks again, and a start refused for room is tried again. */
    static final Duration ROUND = Duration.ofMillis(50);

    /**
     * Makes a container ready for the function ({@link Starter#start}), telling {@code roomFound}
     * once the node has given it room: from then on the call waits for the start, not for room.
     */
    @FunctionalInterface
    interface Start {
        Starter.Ready start(FunctionSpec function, Runnable roomFound) throws InterruptedException;
    }

    private final Start starter;
    private final Consumer<ContainerHandle> discard;
    private final Clock clock;
    private final LongSupplier nanos;
    /** The longest a call waits in all: a start's own limits, and the queue. */
    private final Duration limit;
    private final Duration queueWait;
    private final Duration round;
    /** Container starts for waiting calls; as many at once as calls wait, which the node's budget bounds. */
    private final ExecutorService starts;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) for the waits */
    Acquirer(Start starter, Consumer<ContainerHandle> discard, Clock clock, LongSupplier nanos, Duration startLimit) {
        this(starter, discard, clock, nanos, startLimit, QUEUE_WAIT, ROUND);
    }

    Acquirer(Start starter, Consumer<ContainerHandle> discard, Clock clock, LongSupplier nanos, Duration startLimit,
             Duration queueWait, Duration round) {
        this.starter = starter;
        this.discard = discard;
        this.clock = clock;
        this.nanos = nanos;
        this.limit = startLimit.plus(queueWait);
        this.queueWait = queueWait;
        this.round = round;
        this.starts = Executors.newCachedThreadPool(Threads.daemon("container-start"));
    }

    /**
     * Waits until the call is handed a container (or a start's failure that is the function's).
     *
     * @throws PoolException throttled when the node stayed full, unavailable when no container came
     */
    Starter.Ready acquire(WarmSet set, FunctionSpec function) throws InterruptedException {
        Waiter waiter = set.await();
        long begun = nanos.getAsLong();
        long fullSince = 0;
        try {
            while (true) {
                if (set.claimStart(nanos.getAsLong(), round)) {
                    start(set, function);
                }
                Starter.Ready handed = waiter.poll(round);
                if (handed != null) {
                    return handed;
                }
                long now = nanos.getAsLong();
                if (!set.full()) {
                    fullSince = 0;
                } else if (fullSince == 0) {
                    fullSince = now;
                }
                if (fullSince != 0 && now - fullSince >= queueWait.toNanos()) {
                    return withdraw(set, waiter, PoolException.atCapacity(
                            "this node runs as many containers or as much container memory as it may, and no container of "
                                    + function.name() + " came free within " + queueWait.toMillis() + " ms"));
                }
                if (now - begun >= limit.toNanos()) {
                    return withdraw(set, waiter, PoolException.unavailable(
                            "no container became ready for " + function.name() + " within " + limit.toSeconds() + " s"));
                }
            }
        } catch (InterruptedException e) {
            if (!set.cancel(waiter)) {
                // Handed something as it gave up: a container goes back for the next call.
                Starter.Ready handed = waiter.handedNow();
                if (handed != null && handed.container() != null
                        && !set.giveBack(new Resting.Warm(handed.container(), function.key(), clock.instant()))) {
                    discard.accept(handed.container());
                }
            }
            throw e;
        }
    }

    /** Stops waiting with {@code refusal}, unless the call was handed something meanwhile. */
    private static Starter.Ready withdraw(WarmSet set, Waiter waiter, PoolException refusal) {
        if (set.cancel(waiter)) {
            throw refusal;
        }
        return waiter.handedNow();
    }

    private void start(WarmSet set, FunctionSpec function) {
        try {
            starts.execute(() -> {
                try {
                    Starter.Ready ready = starter.start(function, set::roomFound);
                    if (!set.started(ready, clock.instant(), function.key()) && ready.container() != null) {
                        discard.accept(ready.container());
                    }
                } catch (PoolException e) {
                    set.startRefused(e, nanos.getAsLong());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    set.startRefused(PoolException.unavailable("interrupted while starting a container"), nanos.getAsLong());
                } catch (RuntimeException e) {
                    log.warn("starting a container for {} failed", function.name(), e);
                    set.startRefused(new PoolException("this node could not start a container; retry shortly", e), nanos.getAsLong());
                }
            });
        } catch (RejectedExecutionException e) {
            set.startRefused(PoolException.unavailable("the pool manager is shutting down"), nanos.getAsLong());
        }
    }

    /** Lets starts under way finish (their containers are then the fleet's to remove). */
    @Override
    public void close() {
        starts.shutdown();
        try {
            starts.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
