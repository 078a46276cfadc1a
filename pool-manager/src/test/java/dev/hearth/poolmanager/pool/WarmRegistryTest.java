package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry over a fleet of fake containers; sweeps are called with literal times and
 * background starts run on the test's thread, so nothing waits.
 */
class WarmRegistryTest {

    static final Instant T0 = FakeNode.T0;
    static final Duration IDLE = Duration.ofMinutes(5);

    @TempDir
    Path runDir;
    FakeNode pool;
    Fleet fleet;
    WarmRegistry registry;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void build() throws Exception {
        pool = new FakeNode(runDir, 4, 1024, Map.of(Language.PYTHON, 0));
        fleet = pool.fleet((owner, memoryMb) -> false);
        var policy = new PoolPolicy(IDLE, pool.config.maxContainers());
        var prewarmed = new PrewarmedPools(pool.config, policy, fleet, scheduler, null, pool.clock);
        var starter = new Starter(pool.config, prewarmed, fleet, new Specializer(null, pool.agent, new ObjectMapper()));
        registry = new WarmRegistry(policy, pool.fairShare(), IDLE.multipliedBy(2), fleet, starter, prewarmed, scheduler, Runnable::run,
                pool.clock);
    }

    @AfterEach
    void stop() throws IOException {
        registry.close();
        scheduler.shutdownNow();
        pool.close();
    }

    /** A container of the function's, idle since {@code lastUsed}. */
    Warm idle(FunctionSpec function, Instant lastUsed) throws Exception {
        Warm warm = new Warm(FakeNode.start(fleet, function), function.key(), lastUsed);
        assertTrue(registry.setFor(function).giveBack(warm));
        return warm;
    }

    @Test
    void sweep_evictsExpiredIdleContainers_butKeepsWhatAVersionKeeps() throws Exception {
        FunctionSpec plain = FakeNode.image("plain", "u", 1, 0);
        Warm old = idle(plain, T0);
        Warm recent = idle(plain, T0.plusSeconds(70));
        FunctionSpec provisioned = FakeNode.image("kept", "u", 1, 1);
        registry.prepare(provisioned);
        assertEquals(1, registry.setFor(provisioned).idleCount(), "minWarm started at once");

        Instant now = T0.plus(Duration.ofMinutes(6));
        Duration next = registry.sweep(now);

        assertEquals(java.util.List.of(old.container().id()), pool.engine.removed, "only the expired one goes");
        assertEquals(1, registry.setFor(plain).idleCount());
        assertEquals(recent, registry.setFor(plain).take());
        assertEquals(1, registry.setFor(provisioned).idleCount(), "kept whatever its age");
        assertEquals(Duration.ofSeconds(10), next, "the next sweep is when the next container expires");
    }

    @Test
    void sweep_startsAgainWhatAVersionKeeps_onceItWasTaken() throws Exception {
        FunctionSpec provisioned = FakeNode.image("kept", "u", 1, 2);
        registry.prepare(provisioned);
        WarmSet set = registry.setFor(provisioned);
        assertEquals(2, set.idleCount());
        fleet.discard(set.take().container()); // a call took it and its container went
        registry.sweep(T0);
        assertEquals(2, set.idleCount());
        assertEquals(Set.of(provisioned.key()), registry.keptVersions());
    }

    @Test
    void makeRoom_evictsFromTheUserFurthestAboveTheirShare_leastRecentlyUsedFirst() throws Exception {
        FunctionSpec big = FakeNode.image("big", "big", 1, 0);
        Warm oldest = idle(big, T0);
        idle(big, T0.plusSeconds(1));
        idle(big, T0.plusSeconds(2));

        assertTrue(registry.makeRoom("small", 128));
        assertEquals(java.util.List.of(oldest.container().id()), pool.engine.removed);
        assertEquals(2, registry.setFor(big).idleCount());
    }

    @Test
    void makeRoom_neverTakesFromAUserWithinTheirShare_butTheRequesterMayLoseItsOwn() throws Exception {
        Warm a = idle(FakeNode.image("a", "a", 1, 0), T0);
        idle(FakeNode.image("b", "b", 1, 0), T0);

        assertFalse(registry.makeRoom("c", 128), "a and b hold a quarter each, under a third");
        assertTrue(pool.engine.removed.isEmpty());

        assertTrue(registry.makeRoom("a", 128), "a's own idle container makes way for a's call");
        assertEquals(java.util.List.of(a.container().id()), pool.engine.removed);
    }

    @Test
    void retire_removesIdleContainersOfOlderVersionsOnly() throws Exception {
        FunctionSpec v1 = FakeNode.image("fn", "u", 1, 0);
        FunctionSpec v2 = FakeNode.image("fn", "u", 2, 0);
        Warm first = idle(v1, T0);
        Warm second = idle(v2, T0);
        idle(FakeNode.image("other", "u", 1, 0), T0);

        registry.retireVersions("fn", 2);
        assertEquals(java.util.List.of(first.container().id()), pool.engine.removed);
        assertEquals(Map.of(v2.key(), 1, new VersionKey("other", 1), 1), registry.idleByVersion());

        registry.retireVersions("fn", Long.MAX_VALUE);
        assertTrue(pool.engine.removed.contains(second.container().id()));
        assertEquals(Map.of(new VersionKey("other", 1), 1), registry.idleByVersion());
    }
}
