package dev.hearth.controlplane.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        callers.shutdownNow();
    }

    /** Occupies a place until the test releases it. */
    private Future<Boolean> hold(PasswordHashing hashing, String client, CountDownLatch started) {
        return callers.submit(() -> hashing.run(client, () -> {
            started.countDown();
            return release.await(10, TimeUnit.SECONDS);
        }));
    }

    @Test
    void oneAddress_holdsAtMostItsShare_whileOthersAreAdmitted() throws Exception {
        try (var hashing = new PasswordHashing(new AuthSettings.Hashing(2, 4, 2))) {
            CountDownLatch started = new CountDownLatch(2);
            var first = hold(hashing, "10.0.0.1", started);
            var second = hold(hashing, "10.0.0.1", started);
            assertTrue(started.await(5, TimeUnit.SECONDS));
            RetryLater refused = assertThrows(RetryLater.class, () -> hashing.run("10.0.0.1", () -> true));
            assertEquals(429, refused.status());
            assertEquals(1, refused.seconds());
            Future<Boolean> other = callers.submit(() -> hashing.run("10.0.0.2", () -> true)); // queued, not refused
            release.countDown();
            assertTrue(first.get(5, TimeUnit.SECONDS) && second.get(5, TimeUnit.SECONDS));
            assertTrue(other.get(5, TimeUnit.SECONDS), "another address got a queue place");
            assertTrue(hashing.run("10.0.0.1", () -> true), "its places come back when its work ends");
        }
    }

    @Test
    void aFullQueue_answers429AtOnce_ratherThanWaiting() throws Exception {
        try (var hashing = new PasswordHashing(new AuthSettings.Hashing(1, 0, 5))) {
            CountDownLatch started = new CountDownLatch(1);
            hold(hashing, "a", started);
            assertTrue(started.await(5, TimeUnit.SECONDS));
            long before = System.nanoTime();
            RetryLater refused = assertThrows(RetryLater.class, () -> hashing.run("b", () -> true));
            assertEquals(429, refused.status());
            assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5), "refused without waiting for the work");
        }
    }

    @Test
    void matches_checksTheHash_andAMissingUserNeverMatches() {
        try (var hashing = new PasswordHashing(new AuthSettings.Hashing(1, 4, 2))) {
            String hash = hashing.hash("a", "correct horse");
            assertTrue(hashing.matches("a", "correct horse", hash));
            assertFalse(hashing.matches("a", "wrong horse", hash));
            assertFalse(hashing.matches("a", "correct horse", null));
        }
    }
}
