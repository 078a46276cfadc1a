package dev.hearth.poolmanager;

import java.time.Duration;
import java.util.Objects;

/**
 * How the pre-started pools follow demand (see {@code pool.PoolSizing}).
 *
 * @param window           how far back specializations count towards a pool's target; the
 *                         target is back at its floor once a whole window passes without one
 * @param headroom         factor on the containers taken while replacements start
 * @param startConcurrency generic containers started at once, all languages together
 * @param shrinkPerSecond  surplus idle generic containers removed per second and language once demand falls
 */
public record PoolSizingSettings(Duration window, double headroom, int startConcurrency, int shrinkPerSecond) {

    public static final PoolSizingSettings DEFAULT = new PoolSizingSettings(Duration.ofSeconds(20), 2.0, 4, 2);

    public PoolSizingSettings {
        Objects.requireNonNull(window, "window");
        if (window.toMillis() < 100) {
            throw new IllegalArgumentException("the pool's demand window must be at least 100 ms: " + window);
        }
        if (!(headroom >= 0 && headroom <= 100)) {
            throw new IllegalArgumentException("the pool's headroom must be between 0 and 100: " + headroom);
        }
        if (startConcurrency < 1 || startConcurrency > 64) {
            throw new IllegalArgumentException("concurrent pool starts must be between 1 and 64: " + startConcurrency);
        }
        if (shrinkPerSecond < 1) {
            throw new IllegalArgumentException("the pool's shrink rate must be at least 1 a second: " + shrinkPerSecond);
        }
    }
}
