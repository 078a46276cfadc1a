package dev.hearth.poolmanager.fakes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A monotonic clock in nanoseconds that a test moves: by hand ({@link #advance}), or by a fixed
 * step after every read. It counts its reads, so a test can wait until code that polls it has
 * looked again a number of times, instead of sleeping.
 */
public final class FakeTicker implements LongSupplier {

    private final long stepNanos;
    private long now;
    private long reads;

    /** Moves only when {@link #advance} is called. */
    public FakeTicker() {
        this(Duration.ZERO);
    }

    private FakeTicker(Duration step) {
        this.stepNanos = step.toNanos();
    }

    /** Moves by {@code step} after each read, as if each look took that long. */
    public static FakeTicker advancingBy(Duration step) {
        return new FakeTicker(step);
    }

    @Override
    public synchronized long getAsLong() {
        long read = now;
        now += stepNanos;
        reads++;
        notifyAll();
        return read;
    }

    /** The time now, without counting as a read or moving the ticker. */
    public synchronized long peek() {
        return now;
    }

    public synchronized void advance(Duration by) {
        now += by.toNanos();
    }

    public synchronized long reads() {
        return reads;
    }

    /** Waits until the ticker has been read {@code more} more times; fails after 10 s, which only a hung test reaches. */
    public synchronized void awaitMoreReads(long more) throws InterruptedException {
        long target = reads + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reads < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the ticker was read " + reads + " times, not " + target);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
