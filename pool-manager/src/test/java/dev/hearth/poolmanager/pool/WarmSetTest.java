package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmSetTest {

    final WarmSet set = new WarmSet("u");

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
        set.prepared(new dev.hearth.poolmanager.FunctionSpec("id", "u", "f", 1,
                new dev.hearth.poolmanager.Workload.Image("img", dev.hearth.poolmanager.Workload.Contract.HTTP),
                new dev.hearth.poolmanager.FunctionSettings(128, 1000, 0, null, false, 3)));
        assertEquals(0, set.claimMissing(), "nothing kept until the node's provisioned share is divided");
        set.keep(5);
        assertEquals(3, set.kept(), "never more than minWarm");
        assertTrue(set.giveBack(PoolPolicyTest.warm("a", Instant.EPOCH)));
        assertEquals(2, set.claimMissing(), "three wanted, one idle");
        assertEquals(0, set.claimMissing(), "the two being started are counted");
        set.provisioned();
        assertEquals(1, set.claimMissing(), "one start failed: it is claimed again");
        set.retire();
        assertEquals(0, set.claimMissing(), "a retired version keeps nothing warm");
    }

    static final Duration NO_BACKOFF = Duration.ZERO;
    static final VersionKey KEY = new VersionKey("f", 1);

    @Test
    void giveBack_handsTheContainerToTheLongestWaitingCall_beforeParkingIt() throws Exception {
        Waiter first = set.await();
        Waiter second = set.await();
        Warm a = PoolPolicyTest.warm("a", Instant.EPOCH);
        assertTrue(set.giveBack(a));
        assertSame(a.container(), first.poll(Duration.ZERO).container());
        assertEquals(StartKind.WARM, first.poll(Duration.ZERO).kind());
        assertNull(second.poll(Duration.ZERO), "one container, one call");
        assertEquals(0, set.idleCount());
        set.giveBack(PoolPolicyTest.warm("b", Instant.EPOCH));
        assertEquals("b", second.poll(Duration.ZERO).container().id());
        set.giveBack(PoolPolicyTest.warm("c", Instant.EPOCH));
        assertEquals(1, set.idleCount(), "with nobody waiting it waits idle");
    }

    @Test
    void await_takesAnIdleContainerAtOnce() throws Exception {
        Warm a = PoolPolicyTest.warm("a", Instant.EPOCH);
        set.giveBack(a);
        assertSame(a.container(), set.await().poll(Duration.ZERO).container());
    }

    @Test
    void claimStart_neverStartsMoreThanCallsWait() {
        assertFalse(set.claimStart(0, NO_BACKOFF), "nobody waits");
        set.await();
        set.await();
        assertTrue(set.claimStart(0, NO_BACKOFF));
        assertTrue(set.claimStart(0, NO_BACKOFF));
        assertFalse(set.claimStart(0, NO_BACKOFF), "two calls, two starts");
    }

    @Test
    void started_goesToTheLongestWaitingCall_orWaitsIdleWithItsKind() throws Exception {
        Waiter waiter = set.await();
        assertTrue(set.claimStart(0, NO_BACKOFF));
        assertFalse(set.claimStart(0, NO_BACKOFF), "one call, one start");
        Warm fresh = PoolPolicyTest.warm("fresh", Instant.EPOCH);
        assertTrue(set.started(new Starter.Ready(fresh.container(), StartKind.POOL, null), Instant.EPOCH, KEY));
        assertEquals(StartKind.POOL, waiter.poll(Duration.ZERO).kind());

        // A start that ends after its call was served by a freed container: the new one waits idle.
        Waiter served = set.await();
        assertTrue(set.claimStart(0, NO_BACKOFF));
        set.giveBack(PoolPolicyTest.warm("freed", Instant.EPOCH));
        assertEquals("freed", served.poll(Duration.ZERO).container().id());
        assertTrue(set.started(new Starter.Ready(fresh.container(), StartKind.COLD, null), Instant.EPOCH, KEY));
        assertEquals(1, set.idleCount());
    }

    @Test
    void startFailure_ofTheFunction_answersTheLongestWaitingCall() throws Exception {
        Waiter waiter = set.await();
        set.claimStart(0, NO_BACKOFF);
        Outcome failure = Outcome.FunctionError.of("Runtime.ImportModuleError", "no module");
        assertTrue(set.started(Starter.Ready.failed(StartKind.POOL, failure), Instant.EPOCH, KEY), "handed to the call");
        assertSame(failure, waiter.poll(Duration.ZERO).failure());
    }

    @Test
    void startRefused_forRoom_onlyDelays_andBacksOff() throws Exception {
        Waiter waiter = set.await();
        assertTrue(set.claimStart(1_000, Duration.ofMillis(50)));
        set.startRefused(PoolException.atCapacity("full"), 2_000);
        assertNull(waiter.poll(Duration.ZERO), "still waiting");
        assertTrue(set.full());
        assertFalse(set.claimStart(2_000 + 10_000_000, Duration.ofMillis(50)), "10 ms after a refusal: not yet");
        assertTrue(set.claimStart(2_000 + 60_000_000, Duration.ofMillis(50)), "60 ms after: tried again");
        set.started(new Starter.Ready(PoolPolicyTest.warm("a", Instant.EPOCH).container(), StartKind.COLD, null), Instant.EPOCH, KEY);
        assertFalse(set.full(), "a start went through: the node has room again");
    }

    @Test
    void startRefused_forAnotherReason_failsTheLongestWaitingCall() {
        Waiter waiter = set.await();
        set.claimStart(0, NO_BACKOFF);
        set.startRefused(PoolException.unavailable("no python runtime"), 0);
        assertThrows(PoolException.class, () -> waiter.poll(Duration.ZERO));
    }

    @Test
    void cancel_isRefusedOnceTheCallWasHandedAContainer() {
        Waiter waiter = set.await();
        set.giveBack(PoolPolicyTest.warm("a", Instant.EPOCH));
        assertFalse(set.cancel(waiter));
        assertEquals("a", waiter.handedNow().container().id());
        Waiter other = set.await();
        assertTrue(set.cancel(other));
        assertTrue(set.giveBack(PoolPolicyTest.warm("b", Instant.EPOCH)));
        assertEquals(1, set.idleCount(), "a withdrawn call is handed nothing");
    }

    @Test
    void retired_stillServesWaitingCalls_butKeepsNothingIdle() throws Exception {
        Waiter waiter = set.await();
        set.retire();
        assertTrue(set.giveBack(PoolPolicyTest.warm("a", Instant.EPOCH)), "the waiting call of the old version gets it");
        assertEquals("a", waiter.poll(Duration.ZERO).container().id());
        assertFalse(set.giveBack(PoolPolicyTest.warm("a", Instant.EPOCH)), "after its call it is removed");
    }
}
