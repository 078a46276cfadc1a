package dev.hearth.controlplane.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final FakeTicker ticker = new FakeTicker();
    private final LoginThrottle throttle = new LoginThrottle(
            new AuthSettings.Throttle(5, 20, 20, Duration.ofSeconds(900), Duration.ofMinutes(15)), ticker);

    private void fail(String user, String client, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, client);
        }
    }

    @Test
    void pair_isFreeForFiveFailures_thenWaitsDoubleEachTime() {
        fail("alice", "10.0.0.1", 5);
        assertEquals(0, throttle.retryAfterSeconds("alice", "10.0.0.1"));
        long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900};
        for (long seconds : expected) {
            throttle.failed("alice", "10.0.0.1");
            assertEquals(seconds, throttle.retryAfterSeconds("alice", "10.0.0.1"));
            ticker.advance(Duration.ofSeconds(seconds));
            assertEquals(0, throttle.retryAfterSeconds("alice", "10.0.0.1"), "free again once the delay has passed");
        }
    }

    @Test
    void retryAfter_countsDown_andRoundsUp() {
        fail("alice", "10.0.0.1", 8); // the 8th failure: 4 s
        ticker.advance(Duration.ofMillis(1500));
        assertEquals(3, throttle.retryAfterSeconds("alice", "10.0.0.1"));
    }

    @Test
    void failures_areForgottenAWindowAfterTheLastBlockEnds() {
        fail("alice", "10.0.0.1", 6);
        ticker.advance(Duration.ofMinutes(15).plusSeconds(2));
        throttle.failed("alice", "10.0.0.1");
        assertEquals(0, throttle.retryAfterSeconds("alice", "10.0.0.1"), "counting starts over");
    }

    @Test
    void oneAddressSprayingManyUsernames_isBlockedForEveryUsernameItHasNotLoggedInAs() {
        for (int i = 0; i < 21; i++) {
            throttle.failed("user" + i, "10.0.0.66");
        }
        assertEquals(1, throttle.retryAfterSeconds("someone-new", "10.0.0.66"));
        assertEquals(0, throttle.retryAfterSeconds("someone-new", "10.0.0.7"), "another address is not held back");
    }

    @Test
    void manyAddressesGuessingOneUsername_areBlocked_butNotTheAddressItsOwnerLogsInFrom() {
        throttle.succeeded("victim", "192.0.2.10"); // the owner's usual address
        for (int i = 0; i < 21; i++) {
            throttle.failed("victim", "198.51.100." + i);
        }
        assertEquals(1, throttle.retryAfterSeconds("victim", "203.0.113.5"), "a new address waits");
        assertEquals(0, throttle.retryAfterSeconds("victim", "192.0.2.10"), "the owner is not locked out");
    }

    @Test
    void aNeighbourBehindTheSameAddress_cannotLockOutUsersWhoLogInThere() {
        throttle.succeeded("carol", "10.0.0.1");
        for (int i = 0; i < 40; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }
        assertEquals(0, throttle.retryAfterSeconds("carol", "10.0.0.1"));
        fail("carol", "10.0.0.1", 6);
        assertEquals(1, throttle.retryAfterSeconds("carol", "10.0.0.1"), "guessing carol from there is still throttled");
    }

    @Test
    void success_resetsItsPair_butNotTheWideCounts() {
        fail("alice", "10.0.0.1", 4);
        throttle.succeeded("alice", "10.0.0.1");
        fail("alice", "10.0.0.1", 5);
        assertEquals(0, throttle.retryAfterSeconds("alice", "10.0.0.1"));
        for (int i = 0; i < 20; i++) {
            throttle.failed("bob", "10.0.0." + (100 + i));
        }
        throttle.succeeded("bob", "10.0.0.200");
        throttle.failed("bob", "10.0.0.201");
        assertEquals(1, throttle.retryAfterSeconds("bob", "10.0.0.202"), "the owner's login gave the guessers no new tries");
    }
}
