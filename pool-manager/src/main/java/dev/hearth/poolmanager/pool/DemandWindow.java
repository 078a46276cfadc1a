package dev.hearth.poolmanager.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts events (one language's specializations) in a sliding window of {@value #BUCKETS}
 * buckets, with time a parameter: no clock is read here. The rate it reports is the busiest
 * bucket's, so a one-second burst raises it at once and keeps it raised until the burst's bucket
 * leaves the window; then it is 0. Not thread-safe: its owner synchronizes.
 */
final class DemandWindow {

    static final int BUCKETS = 10;

    private final long bucketMillis;
    /** Per slot, the bucket number it counts for (epoch millis / bucket length) and its count. */
    private final long[] bucketOf = new long[BUCKETS];
    private final int[] counts = new int[BUCKETS];

    DemandWindow(Duration window) {
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
        java.util.Arrays.fill(bucketOf, Long.MIN_VALUE);
    }

    Duration bucket() {
        return Duration.ofMillis(bucketMillis);
    }

    void record(Instant now) {
        long bucket = Math.floorDiv(now.toEpochMilli(), bucketMillis);
        int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
        if (bucketOf[slot] != bucket) {
            bucketOf[slot] = bucket;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Events per second in the busiest bucket of the window ending at {@code now}; 0 when it saw none. */
    double peakRate(Instant now) {
        long current = Math.floorDiv(now.toEpochMilli(), bucketMillis);
        int peak = 0;
        for (int slot = 0; slot < BUCKETS; slot++) {
            if (bucketOf[slot] > current - BUCKETS && bucketOf[slot] <= current) {
                peak = Math.max(peak, counts[slot]);
            }
        }
        return peak * 1000.0 / bucketMillis;
    }

    /** Whether any event is still inside the window. */
    boolean active(Instant now) {
        return peakRate(now) > 0;
    }
}
