package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.PoolException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The calls of one version that wait for a container, longest waiting first, and the starts
 * under way for them: never more starts than calls wait, and none while the node refused one for
 * room a moment ago. Not thread-safe on purpose: it is only ever used under its {@link WarmSet}'s
 * lock, so that handing a freed container to a call and parking it idle are one decision.
 */
final class WaitingCalls {

    /** Longest waiting first. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Containers being started for waiting calls. */
    private int starting;
    /** Whether the last start for waiting calls was refused because the node was full, and when (nanos). */
    private boolean full;
    private long refusedAt;

    void add(Waiter waiter) {
        waiters.addLast(waiter);
    }

    /** Hands {@code ready} to the longest-waiting call; false when none waits. */
    boolean hand(Starter.Ready ready) {
        Waiter first = waiters.pollFirst();
        if (first == null) {
            return false;
        }
        first.hand(ready);
        return true;
    }

    /** True, and counted as starting, while calls outnumber starts and no refusal for room is younger than {@code backoff}. */
    boolean claimStart(long nowNanos, Duration backoff) {
        if (waiters.size() <= starting || (full && nowNanos - refusedAt < backoff.toNanos())) {
            return false;
        }
        starting++;
        return true;
    }

    /** A claimed start ended with a container or a failure of the function's: the node had room. */
    void startEnded() {
        starting--;
        full = false;
    }

    /** A claimed start was refused: for room it only delays the calls; any other refusal answers the longest-waiting one. */
    void startRefused(PoolException refusal, long nowNanos) {
        starting--;
        if (refusal.atCapacity()) {
            full = true;
            refusedAt = nowNanos;
            return;
        }
        Waiter first = waiters.pollFirst();
        if (first != null) {
            first.refuse(refusal);
        }
    }

    void roomFound() {
        full = false;
    }

    boolean full() {
        return full;
    }

    /** Withdraws a call; false when it was handed something meanwhile. */
    boolean cancel(Waiter waiter) {
        return waiters.remove(waiter);
    }
}
