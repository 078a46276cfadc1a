package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.pool.Slot.Warm;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstancesTest {

    final Instances set = new Instances();

    @Test
    void take_returnsTheMostRecentlyUsedFirst() {
        Warm a = PoolPolicyTest.warm("a", Instant.EPOCH);
        Warm b = PoolPolicyTest.warm("b", Instant.EPOCH.plusSeconds(1));
        assertTrue(set.giveBack(a));
        assertTrue(set.giveBack(b));
        assertSame(b, set.take());
        assertSame(a, set.take());
        assertNull(set.take());
    }

    @Test
    void claim_failsWhenACallerTookTheContainerFirst() {
        Warm a = PoolPolicyTest.warm("a", Instant.EPOCH);
        set.giveBack(a);
        assertSame(a, set.take());
        assertFalse(set.claim(a), "the reaper must not evict a container in use");
    }

    @Test
    void retire_drainsIdle_andRefusesLaterReturns() {
        Warm a = PoolPolicyTest.warm("a", Instant.EPOCH);
        Warm b = PoolPolicyTest.warm("b", Instant.EPOCH);
        set.giveBack(a);
        assertEquals(List.of(a), set.retire());
        assertFalse(set.giveBack(b), "a container returned after retirement goes back to its caller for removal");
        assertEquals(0, set.idleCount());
    }

    @Test
    void claimMissing_countsIdleAndStarting_soTopUpsNeverOverlap() {
        set.prepared(new dev.hearth.poolmanager.FunctionSpec("id", "f", 1,
                new dev.hearth.poolmanager.Workload.Image("img", dev.hearth.poolmanager.Workload.Contract.HTTP),
                128, 1000, null, false, 3));
        assertTrue(set.giveBack(PoolPolicyTest.warm("a", Instant.EPOCH)));
        assertEquals(2, set.claimMissing(), "three wanted, one idle");
        assertEquals(0, set.claimMissing(), "the two being started are counted");
        set.provisioned();
        assertEquals(1, set.claimMissing(), "one start failed: it is claimed again");
        set.retire();
        assertEquals(0, set.claimMissing(), "a retired version keeps nothing warm");
    }
}
