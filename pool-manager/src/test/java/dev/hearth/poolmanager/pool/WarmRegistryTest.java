package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.fakes.FakeAgent;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        var starter = new Starter(pool.config, prewarmed, fleet,
                new Specializer(null, pool.agent, new ObjectMapper(), new LambdaEnv(pool.config.lambda(), pool.clock)));
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

        assertEquals(List.of(old.container().id()), pool.engine.removed, "only the expired one goes");
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
        assertEquals(List.of(oldest.container().id()), pool.engine.removed);
        assertEquals(2, registry.setFor(big).idleCount());
    }

    @Test
    void makeRoom_neverTakesFromAUserWithinTheirShare_butTheRequesterMayLoseItsOwn() throws Exception {
        Warm a = idle(FakeNode.image("a", "a", 1, 0), T0);
        idle(FakeNode.image("b", "b", 1, 0), T0);

        assertFalse(registry.makeRoom("c", 128), "a and b hold a quarter each, under a third");
        assertTrue(pool.engine.removed.isEmpty());

        assertTrue(registry.makeRoom("a", 128), "a's own idle container makes way for a's call");
        assertEquals(List.of(a.container().id()), pool.engine.removed);
    }

    @Test
    void retireVersions_removesTheNamedVersionsIdleContainers_andLeavesTheOthers() throws Exception {
        FunctionSpec v1 = FakeNode.image("fn", "u", 1, 0);
        FunctionSpec v2 = FakeNode.image("fn", "u", 2, 0);
        FunctionSpec v3 = FakeNode.image("fn", "u", 3, 0);
        Warm first = idle(v1, T0);
        Warm second = idle(v2, T0);
        Warm third = idle(v3, T0);
        idle(FakeNode.image("other", "u", 1, 0), T0);

        registry.retireVersions("fn", Set.of(1L, 3L));
        assertEquals(Set.of(first.container().id(), third.container().id()), Set.copyOf(pool.engine.removed));
        assertEquals(Map.of(v2.key(), 1, new VersionKey("other", 1), 1), registry.idleByVersion());

        registry.retire("fn");
        assertTrue(pool.engine.removed.contains(second.container().id()));
        assertEquals(Map.of(new VersionKey("other", 1), 1), registry.idleByVersion());
    }

    @Test
    void retireVersions_aBusyContainerOfARetiredVersion_isRemovedAfterItsCall() throws Exception {
        FunctionSpec v1 = FakeNode.image("fn", "u", 1, 0);
        Warm kept = idle(FakeNode.image("fn", "u", 2, 0), T0);
        WarmSet set = registry.setFor(v1);
        ContainerHandle busy = FakeNode.start(fleet, v1);
        var calls = new CallRunner(pool.agent, pool.engine, fleet, pool.clock, pool.ticker, "node");
        pool.agent.run = (socket, id, event) -> {
            registry.retireVersions("fn", Set.of(1L)); // while the call runs
            assertTrue(pool.engine.removed.isEmpty(), "not while its call runs");
            return FakeAgent.ok("{}");
        };

        Invocation invocation = calls.run(set, busy, new InvokeRequest(v1, "inv", new byte[] {'{', '}'}), StartKind.WARM, 0);

        assertInstanceOf(Outcome.Success.class, invocation.outcome(), "the call in flight finishes");
        assertEquals(List.of(busy.id()), pool.engine.removed, "removed once its call ended");
        assertEquals(Map.of(kept.function(), 1), registry.idleByVersion(), "version 2 untouched");
    }

    @Test
    void prepare_twoVersionsOfOneFunction_eachKeepTheirMinWarm() {
        FunctionSpec v1 = FakeNode.image("fn", "u", 1, 1);
        FunctionSpec v2 = FakeNode.image("fn", "u", 2, 1);
        registry.prepare(v1);
        registry.prepare(v2);
        assertEquals(Set.of(v1.key(), v2.key()), registry.keptVersions());
        assertEquals(Map.of(v1.key(), 1, v2.key(), 1), registry.idleByVersion());

        registry.sweep(T0.plus(IDLE.multipliedBy(3)));
        assertEquals(Map.of(v1.key(), 1, v2.key(), 1), registry.idleByVersion(), "both kept whatever their age");
        assertTrue(pool.engine.removed.isEmpty());

        registry.retireVersions("fn", Set.of(1L));
        assertEquals(Set.of(v2.key()), registry.keptVersions(), "the retired version's minWarm is released");
        assertEquals(Map.of(v2.key(), 1), registry.idleByVersion());
    }

    @Test
    void prepare_withMinWarmZero_releasesTheKeptContainersToOrdinaryIdleOnes() {
        FunctionSpec kept = FakeNode.image("fn", "u", 1, 2);
        FunctionSpec other = FakeNode.image("fn", "u", 2, 1);
        registry.prepare(kept);
        registry.prepare(other);

        registry.prepare(FakeNode.image("fn", "u", 1, 0));
        assertEquals(Set.of(other.key()), registry.keptVersions());
        assertEquals(Map.of(kept.key(), 2, other.key(), 1), registry.idleByVersion(), "not removed: idle warm ones now");
        assertTrue(pool.engine.removed.isEmpty());

        registry.sweep(T0.plus(IDLE).plusSeconds(1));
        assertEquals(Map.of(other.key(), 1), registry.idleByVersion(), "evicted once idle past the timeout, as any");
        assertEquals(2, pool.engine.removed.size());
    }
}
