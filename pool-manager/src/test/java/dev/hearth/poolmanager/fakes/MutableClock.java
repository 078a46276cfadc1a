package dev.hearth.poolmanager.fakes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test moves by hand. Shared with control-plane's tests through this module's test-jar. */
public final class MutableClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    /** Stands at {@code start} until moved. */
    public MutableClock(Instant start) {
        this(Clock.fixed(start, ZoneOffset.UTC));
    }

    private MutableClock(Clock base) {
        this.base = base;
    }

    /** Runs with system time, plus what the test moves it by: for a whole Hearth, whose pools keep time too. */
    public static MutableClock followingSystem() {
        return new MutableClock(Clock.systemUTC());
    }

    /** Moves the clock by {@code by}; negative moves it back. */
    public void advance(Duration by) {
        ahead.accumulateAndGet(by, Duration::plus);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
