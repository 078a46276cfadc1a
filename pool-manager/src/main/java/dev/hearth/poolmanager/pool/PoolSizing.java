package dev.hearth.poolmanager.pool;

import java.time.Duration;

/**
 * A language pool's target size as a pure function of demand, the time a replacement takes to
 * start and the node's free room (as OpenWhisk's reactive prewarm, driven by the rate of
 * specializations rather than a fixed count).
 *
 * <pre>
 *   demand = max(ceil(rate × start × headroom), expected)
 *   target = max(floor, min(ceiling, floor + demand, floor + (free after the floor + held above floor) / 2))
 * </pre>
 *
 * <ul>
 *   <li>{@code rate}: specializations per second in the busiest bucket of the recent window
 *   ({@link DemandWindow}); {@code start}: how long one generic container takes to become ready
 *   (measured); so {@code rate × start} is how many containers are taken while one replacement
 *   starts (Little's law), and {@code headroom} (default 2) covers bursts above the measured
 *   rate and starts slowed by each other. The floor ({@code HEARTH_POOL_<RUNTIME>}) stays on
 *   top: it is what a burst out of quiet finds, and the demand term is what keeps up while a
 *   burst lasts.</li>
 *   <li>{@code expected}: versions deployed within the window whose first call has not come
 *   ({@link ExpectedCalls}); each will take a container, so the pool holds one per version ahead
 *   of its call, whatever the rate (a handful of deploys in a quiet minute would barely move it).</li>
 *   <li>When the window holds no specialization, {@code rate} is 0 and the target is the floor;
 *   surplus idle containers are then removed at a bounded rate.</li>
 *   <li>The ceiling is the node budget per language ({@code HEARTH_POOL_MAX_<RUNTIME>}); and
 *   growth above the floor never takes more than half of the room calls could use (free room
 *   once the floor is refilled, plus what this pool holds above its floor), so calls of users always find room on a node
 *   that is not full, and generic containers never crowd out users' fair shares: they are
 *   nobody's, and the first evicted when a call needs room. The floor itself is kept as before,
 *   within the node's container limit.</li>
 * </ul>
 */
final class PoolSizing {

    private PoolSizing() {}

    /**
     * @param floor        the configured pool size, kept whatever the demand
     * @param ceiling      the most this language's pool may hold
     * @param ratePerSec   recent specializations per second (the busiest bucket's)
     * @param start        how long a generic container takes to start
     * @param headroom     factor on the demand term
     * @param expected     first calls expected (versions deployed, not called yet)
     * @param freeSlots    containers the node could still start (by count and by memory)
     * @param poolHeld     this pool's containers now, waiting and starting
     */
    static int target(int floor, int ceiling, double ratePerSec, Duration start, double headroom, int expected,
                      int freeSlots, int poolHeld) {
        if (ceiling <= floor) {
            return floor;
        }
        double demand = Math.max(Math.ceil(ratePerSec * (start.toNanos() / 1e9) * headroom), expected);
        long wanted = floor + (long) Math.min(demand, Integer.MAX_VALUE);
        // Room calls could use once the floor is refilled: what is free beyond that, and what this pool holds above it.
        long afterFloor = Math.max(0L, (long) freeSlots - Math.max(0, floor - poolHeld));
        long room = floor + (afterFloor + Math.max(0, poolHeld - floor)) / 2L;
        return (int) Math.max(floor, Math.min(ceiling, Math.min(wanted, room)));
    }

    /** How many surplus idle containers to remove in one tick of {@code tick}, at {@code perSecond}. */
    static int toRemove(int ready, int starting, int target, int perSecond, Duration tick) {
        int surplus = ready + starting - target;
        if (surplus <= 0) {
            return 0;
        }
        int allowed = (int) Math.max(1, Math.floor(perSecond * tick.toMillis() / 1000.0));
        return Math.min(Math.min(surplus, ready), allowed);
    }
}
