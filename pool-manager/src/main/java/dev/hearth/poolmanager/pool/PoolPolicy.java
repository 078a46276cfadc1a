package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.pool.Resting.Warm;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;

/**
 * The pool's decisions as pure functions of counts and times, so they are tested without
 * Docker and without sleeping. Time is always a parameter.
 *
 * <p>Failure policy: a container is evicted only when it is known idle past the timeout; a
 * container whose state is uncertain (taken by a caller, being specialized) is never reaped.
 * Warm instances are handed out most-recently-used first, so surplus ones age out. Which
 * container makes room for whom is {@link FairShare}'s decision.
 */
final class PoolPolicy {

    /** The reaper never sleeps longer than this, so settings and clocks can drift without harm. */
    static final Duration MAX_SWEEP_DELAY = Duration.ofSeconds(30);
    static final Duration MIN_SWEEP_DELAY = Duration.ofMillis(250);

    private final Duration idleTimeout;
    private final int maxContainers;

    PoolPolicy(Duration idleTimeout, int maxContainers) {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive");
        }
        this.idleTimeout = idleTimeout;
        this.maxContainers = maxContainers;
    }

    /**
     * How many generic containers to start now for one language: enough to reach the target
     * counting those already starting, but never past the node's container limit.
     */
    int toStart(int prewarmed, int starting, int target, int liveContainers) {
        int missing = target - prewarmed - starting;
        int room = maxContainers - liveContainers;
        return Math.max(0, Math.min(missing, room));
    }

    boolean expired(Warm warm, Instant now) {
        return !warm.lastUsed().plus(idleTimeout).isAfter(now);
    }

    /**
     * How long the reaper may sleep: until the next idle container expires, within
     * [{@link #MIN_SWEEP_DELAY}, {@link #MAX_SWEEP_DELAY}].
     */
    Duration nextSweep(Collection<Warm> idle, Instant now) {
        Duration next = idle.stream()
                .map(w -> Duration.between(now, w.lastUsed().plus(idleTimeout)))
                .min(Comparator.naturalOrder())
                .orElse(idleTimeout);
        if (next.compareTo(MIN_SWEEP_DELAY) < 0) {
            return MIN_SWEEP_DELAY;
        }
        return next.compareTo(MAX_SWEEP_DELAY) > 0 ? MAX_SWEEP_DELAY : next;
    }
}
