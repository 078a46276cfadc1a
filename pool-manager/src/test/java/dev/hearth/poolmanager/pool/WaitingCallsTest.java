package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hand-off bookkeeping alone, with literal times (the set's lock is not needed on one thread). */
class WaitingCallsTest {

    final WaitingCalls calls = new WaitingCalls();
    final Starter.Ready ready = new Starter.Ready(PoolPolicyTest.warm("a", Instant.EPOCH).container(), StartKind.COLD, null);

    @Test
    void hand_goesToTheLongestWaitingCall_andToNobodyWhenNoneWaits() throws Exception {
        assertFalse(calls.hand(ready));
        var first = new Waiter();
        var second = new Waiter();
        calls.add(first);
        calls.add(second);
        assertTrue(calls.hand(ready));
        assertSame(ready, first.poll(Duration.ZERO));
        assertNull(second.poll(Duration.ZERO));
    }

    @Test
    void claimStart_neverOutnumbersTheCalls_andBacksOffAfterARefusalForRoom() {
        calls.add(new Waiter());
        assertTrue(calls.claimStart(0, Duration.ofMillis(50)));
        assertFalse(calls.claimStart(0, Duration.ofMillis(50)), "one call, one start");
        calls.startRefused(PoolException.atCapacity("full"), 1_000);
        assertTrue(calls.full());
        assertFalse(calls.claimStart(1_000 + 49_000_000, Duration.ofMillis(50)));
        assertTrue(calls.claimStart(1_000 + 50_000_000, Duration.ofMillis(50)));
        calls.startEnded();
        assertFalse(calls.full(), "a start went through");
    }

    @Test
    void startRefused_forAnotherReason_answersTheLongestWaitingCall() {
        var waiter = new Waiter();
        calls.add(waiter);
        calls.claimStart(0, Duration.ZERO);
        calls.startRefused(PoolException.unavailable("no runtime"), 0);
        assertThrows(PoolException.class, () -> waiter.poll(Duration.ZERO));
        assertFalse(calls.cancel(waiter), "it is no longer waiting");
    }

    @Test
    void roomFound_endsTheWaitForRoom() {
        calls.add(new Waiter());
        calls.claimStart(0, Duration.ZERO);
        calls.startRefused(PoolException.atCapacity("full"), 0);
        calls.roomFound();
        assertFalse(calls.full());
        assertEquals(true, calls.claimStart(0, Duration.ofSeconds(1)), "no backoff once room was found");
    }
}
