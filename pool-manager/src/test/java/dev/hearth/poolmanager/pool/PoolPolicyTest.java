package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolPolicyTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final PoolPolicy policy = new PoolPolicy(Duration.ofMinutes(5), 10);

    static Warm warm(String id, Instant lastUsed) {
        var container = new ContainerHandle(id, id, "python", Path.of("/tmp", id), 128);
        return new Warm(container, new VersionKey("f", 1), lastUsed);
    }

    @Test
    void toStart_fillsUpToTarget_countingThoseStarting() {
        assertEquals(3, policy.toStart(0, 0, 3, 0));
        assertEquals(1, policy.toStart(1, 1, 3, 2));
        assertEquals(0, policy.toStart(2, 1, 3, 3));
        assertEquals(0, policy.toStart(5, 0, 3, 5), "never negative when over target");
    }

    @Test
    void toStart_neverPassesTheNodeLimit() {
        assertEquals(2, policy.toStart(0, 0, 5, 8));
        assertEquals(0, policy.toStart(0, 0, 5, 10));
        assertEquals(0, policy.toStart(0, 0, 5, 12));
    }

    @Test
    void expired_exactlyAtTheIdleTimeout() {
        Warm w = warm("a", T0);
        assertFalse(policy.expired(w, T0.plus(Duration.ofMinutes(5)).minusMillis(1)));
        assertTrue(policy.expired(w, T0.plus(Duration.ofMinutes(5))));
        assertTrue(policy.expired(w, T0.plus(Duration.ofHours(1))));
    }

    @Test
    void nextSweep_isWhenTheOldestIdleContainerExpires_withinBounds() {
        Instant now = T0.plus(Duration.ofMinutes(4));
        assertEquals(PoolPolicy.MAX_SWEEP_DELAY, policy.nextSweep(List.of(warm("a", T0), warm("b", now)), now),
                "a expires in one minute, but the reaper looks again within the cap");
        assertEquals(Duration.ofSeconds(10),
                policy.nextSweep(List.of(warm("a", T0)), T0.plus(Duration.ofMinutes(5)).minusSeconds(10)));
        assertEquals(PoolPolicy.MIN_SWEEP_DELAY,
                policy.nextSweep(List.of(warm("a", T0)), T0.plus(Duration.ofHours(1))), "overdue: sweep soon, not in a busy loop");
        assertEquals(PoolPolicy.MAX_SWEEP_DELAY, policy.nextSweep(List.of(), T0), "nothing idle: the idle timeout, capped");
    }

    @Test
    void nextSweep_withShortIdleTimeout_followsIt() {
        var quick = new PoolPolicy(Duration.ofSeconds(2), 10);
        assertEquals(Duration.ofSeconds(2), quick.nextSweep(List.of(), T0));
    }
}
