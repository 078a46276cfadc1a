package dev.hearth.controlplane.async;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlatformRetryTest {

    record Delivered(long deliveries) implements AsyncQueue.Delivery {
        @Override
        public String id() {
            return "id";
        }

        @Override
        public byte[] event() {
            return null;
        }

        @Override
        public void done() {}

        @Override
        public void retryAfter(Duration delay) {}
    }

    @Test
    void platformFailuresAreRetriedAfterASecond_backingOffTo30Seconds() {
        assertEquals(Duration.ofSeconds(1), AsyncWorker.platformRetry(new Delivered(0)), "the store queue does not count");
        assertEquals(Duration.ofSeconds(1), AsyncWorker.platformRetry(new Delivered(1)));
        assertEquals(Duration.ofSeconds(7), AsyncWorker.platformRetry(new Delivered(7)));
        assertEquals(Duration.ofSeconds(30), AsyncWorker.platformRetry(new Delivered(500)));
    }
}
