package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pool's target as a pure function of demand, start time and the node's room, at literal times. */
class PoolSizingTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration START = Duration.ofMillis(500);
    static final Duration WINDOW = Duration.ofSeconds(20);

    /** A window that saw {@code takes} specializations within one second from T0. */
    static DemandWindow burst(int takes) {
        DemandWindow window = new DemandWindow(WINDOW);
        for (int i = 0; i < takes; i++) {
            window.record(T0.plusMillis(1_000L * i / takes));
        }
        return window;
    }

    @Test
    void noDemand_keepsTheFloor() {
        assertEquals(3, PoolSizing.target(3, 9, 0, START, 2.0, 0, 60, 3));
    }

    @Test
    void aBurst_raisesTheTarget_byRateTimesStartTimesHeadroom() {
        DemandWindow window = burst(6); // 6 in the first 2 s bucket: 3 a second
        double rate = window.peakRate(T0.plusSeconds(1));
        assertEquals(3.0, rate, 1e-9);

        // 3/s × 0.5 s × 2 = 3 above the floor of 3.
        assertEquals(6, PoolSizing.target(3, 16, rate, START, 2.0, 0, 60, 3));
    }

    @Test
    void expectedFirstCalls_addOneEach_whateverTheRate() {
        assertEquals(3 + 5, PoolSizing.target(3, 16, 0, START, 2.0, 5, 60, 3), "five deploys in a quiet window");
        double rate = burst(6).peakRate(T0.plusSeconds(1)); // 3 above the floor by rate
        assertEquals(3 + 3, PoolSizing.target(3, 16, rate, START, 2.0, 2, 60, 3), "the larger of the two, not their sum");
        assertEquals(3 + 4, PoolSizing.target(3, 16, rate, START, 2.0, 4, 60, 3));
        assertEquals(9, PoolSizing.target(3, 9, 0, START, 2.0, 30, 60, 3), "the ceiling holds");
        assertEquals(5, PoolSizing.target(3, 16, 0, START, 2.0, 30, 4, 3), "so does half the free room");
    }

    @Test
    void theCeilingHolds_howeverHighTheDemand() {
        double rate = burst(30).peakRate(T0.plusSeconds(1));

        assertEquals(9, PoolSizing.target(3, 9, rate, START, 2.0, 0, 60, 3));
        assertEquals(9, PoolSizing.target(3, 9, 1e9, Duration.ofHours(1), 100, 0, Integer.MAX_VALUE, 3));
    }

    @Test
    void quiet_returnsTheTargetToTheFloor_onceTheBurstLeavesTheWindow() {
        DemandWindow window = burst(30);

        assertEquals(9, PoolSizing.target(3, 9, window.peakRate(T0.plusSeconds(19)), START, 2.0, 0, 60, 9),
                "still inside the window: the target holds");
        assertEquals(3, PoolSizing.target(3, 9, window.peakRate(T0.plusSeconds(21)), START, 2.0, 0, 60, 9),
                "a whole window of quiet: back to the floor");
    }

    @Test
    void aNodeNearFull_keepsRoomForCalls() {
        double rate = burst(30).peakRate(T0.plusSeconds(1));

        assertEquals(3, PoolSizing.target(3, 16, rate, START, 2.0, 0, 0, 3), "no free room: no growth, the floor stays");
        assertEquals(3, PoolSizing.target(3, 16, rate, START, 2.0, 0, 1, 3), "the last free container is left to calls");
        assertEquals(5, PoolSizing.target(3, 16, rate, START, 2.0, 0, 4, 3), "half of the free room, never more");
        assertEquals(4, PoolSizing.target(3, 16, rate, START, 2.0, 0, 5, 0),
                "the floor is refilled first (3 of the 5 free), and growth takes half of what is left");
        assertEquals(7, PoolSizing.target(3, 16, rate, START, 2.0, 0, 4, 7),
                "what the pool holds above its floor counts as room calls could use: a grown pool stays put, it does not grow on");
    }

    @Test
    void aFloorOfZero_withNoCeilingAbove_staysEmpty() {
        assertEquals(0, PoolSizing.target(0, 0, 100, START, 2.0, 0, 60, 0));
    }

    @Test
    void toRemove_isBoundedByTheShrinkRate_andNeverTouchesStartingOnes() {
        assertEquals(0, PoolSizing.toRemove(3, 0, 3, 2, Duration.ofSeconds(2)));
        assertEquals(4, PoolSizing.toRemove(9, 0, 3, 2, Duration.ofSeconds(2)), "2 a second over a 2 s tick");
        assertEquals(1, PoolSizing.toRemove(9, 0, 3, 2, Duration.ofMillis(250)), "at least one a tick");
        assertEquals(2, PoolSizing.toRemove(2, 5, 3, 10, Duration.ofSeconds(2)), "only waiting ones are removed");
    }

    @Test
    void demandWindow_countsTheBusiestBucket_andForgetsOldOnes() {
        DemandWindow window = new DemandWindow(Duration.ofSeconds(10)); // 1 s buckets
        window.record(T0);
        window.record(T0.plusMillis(100));
        window.record(T0.plusMillis(5_000));

        assertEquals(2.0, window.peakRate(T0.plusSeconds(5)), 1e-9);
        assertEquals(2.0, window.peakRate(T0.plusMillis(9_999)), 1e-9);
        assertEquals(1.0, window.peakRate(T0.plusSeconds(10)), 1e-9, "the first bucket left the window");
        assertEquals(0.0, window.peakRate(T0.plusSeconds(15)), 1e-9);
        window.record(T0.plusSeconds(20)); // reuses the first bucket's slot
        assertEquals(1.0, window.peakRate(T0.plusSeconds(20)), 1e-9);
    }
}
