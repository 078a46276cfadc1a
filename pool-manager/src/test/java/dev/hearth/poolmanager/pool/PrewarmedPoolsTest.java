package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolSizingSettings;
import dev.hearth.poolmanager.fakes.ManualScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pools' refills and backoff on a scheduler the test runs by hand: nothing runs, or waits, on its own. */
class PrewarmedPoolsTest {

    @TempDir
    Path runDir;

    final ManualScheduler scheduler = new ManualScheduler();
    private int versions;

    /** A version not seen before: a specialization the pool did not expect. */
    VersionKey aVersion() {
        return new VersionKey("fn-" + versions++, 1);
    }
    FakeNode node;
    Fleet fleet;
    PrewarmedPools pools;

    PrewarmedPools pools(int maxContainers, Map<Language, Integer> poolSizes) {
        // Pools fixed at their floor here: PoolGrowthTest covers how they follow demand.
        Map<Language, PoolConfig.RuntimeConfig> fixed = new EnumMap<>(Language.class);
        poolSizes.forEach((language, size) -> fixed.put(language, new PoolConfig.RuntimeConfig("hearth/runtime-" + language.id(), size, size)));
        node = new FakeNode(runDir, maxContainers, 4096, fixed, PoolSizingSettings.DEFAULT);
        fleet = node.fleet((owner, memoryMb) -> false);
        pools = new PrewarmedPools(node.config, new PoolPolicy(node.config.idleTimeout(), maxContainers), fleet, scheduler, scheduler,
                node.clock);
        return pools;
    }

    @AfterEach
    void close() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void refillAll_startsEveryPoolToItsTarget_asPooledContainers() {
        pools(8, Map.of(Language.PYTHON, 2, Language.JAVA, 1));
        assertFalse(pools.filledOnce());

        pools.refillAll();
        scheduler.runDue();

        assertEquals(Map.of("java", 1, "python", 2), pools.waiting());
        assertTrue(pools.filledOnce());
        assertEquals(3, node.engine.running.size());
        assertEquals(new FairShare.Usage(3, 3L * FakeNode.POOL_MB), fleet.held().get(FairShare.POOL), "nobody's until a function takes one");
        assertTrue(node.engine.started.stream().allMatch(spec -> !spec.egress()), "pooled containers have no network");
    }

    @Test
    void refill_countsTheContainersStarting_soRepeatedRefillsNeverOverfill() {
        pools(8, Map.of(Language.PYTHON, 2));

        pools.refill(Language.PYTHON);
        pools.refill(Language.PYTHON);
        pools.refillAll();
        scheduler.runDue();

        assertEquals(2, node.engine.started.size());
        assertEquals(Map.of("python", 2), pools.waiting());
    }

    @Test
    void refill_neverStartsPastTheNodesContainerLimit() {
        pools(1, Map.of(Language.PYTHON, 3));

        pools.refillAll();
        scheduler.runDue();

        assertEquals(1, node.engine.started.size());
        assertFalse(pools.filledOnce());
    }

    @Test
    void take_handsOutTheLongestReady_andSchedulesAReplacementShortlyAfter() {
        pools(8, Map.of(Language.PYTHON, 2));
        pools.refillAll();
        scheduler.runDue();
        List<String> ids = node.engine.running.keySet().stream().sorted().toList();

        ContainerHandle taken = pools.take(Language.PYTHON, aVersion());

        assertEquals(ids.get(0), taken.id(), "the first started is the first out");
        assertEquals(Map.of("python", 1), pools.waiting());
        assertEquals(List.of(50L), scheduler.scheduledDelaysMs, "the replacement waits, so its start does not slow the call that took one");
        assertEquals(0, scheduler.runDue());
        scheduler.advance(Duration.ofMillis(50));
        assertEquals(Map.of("python", 2), pools.waiting());
    }

    @Test
    void take_fromAnEmptyPool_givesNothing_butStillSchedulesARefill() {
        pools(8, Map.of(Language.PYTHON, 1));

        assertNull(pools.take(Language.PYTHON, aVersion()));

        assertEquals(1, scheduler.pending());
        scheduler.advance(Duration.ofMillis(50));
        assertEquals(Map.of("python", 1), pools.waiting());
    }

    @Test
    void failedStarts_backOffWithOneRetry_ratherThanLoop() {
        pools(8, Map.of(Language.PYTHON, 2));
        node.engine.onStart = (id, spec) -> {
            throw new IllegalStateException("no such image");
        };

        pools.refillAll();
        scheduler.runDue();

        assertEquals(2, node.engine.started.size());
        assertEquals(0, fleet.containers(), "failed starts give their room back");
        assertEquals(List.of(500L), scheduler.scheduledDelaysMs, "two failures, one retry");
        pools.refillAll();
        scheduler.runDue();
        assertEquals(2, node.engine.started.size(), "no top-up while starts are failing: only the retry tries again");

        scheduler.advance(Duration.ofMillis(499));
        assertEquals(2, node.engine.started.size());
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(4, node.engine.started.size());
        assertEquals(List.of(500L, 2000L), scheduler.scheduledDelaysMs, "the wait doubles with each failure");

        node.agentsListen();
        scheduler.advance(Duration.ofMillis(2000));
        assertEquals(Map.of("python", 2), pools.waiting());
        assertEquals(0, scheduler.pending(), "a success ends the backoff");
        pools.take(Language.PYTHON, aVersion());
        assertEquals(List.of(500L, 2000L, 50L), scheduler.scheduledDelaysMs);
    }

    @Test
    void stop_removesContainersThatFinishStartingAfterIt() {
        pools(8, Map.of(Language.PYTHON, 2));
        pools.refillAll();

        pools.stop();
        scheduler.runDue();

        assertEquals(Map.of("python", 0), pools.waiting());
        assertEquals(0, fleet.containers());
        assertTrue(node.engine.running.isEmpty());
        pools.refillAll();
        assertEquals(0, scheduler.runDue(), "a stopped pool starts nothing");
    }

    @Test
    void serves_onlyTheConfiguredLanguages() {
        pools(8, Map.of(Language.PYTHON, 0));

        assertTrue(pools.serves(Language.PYTHON));
        assertFalse(pools.serves(Language.NODE));
        assertTrue(pools.filledOnce(), "a pool of target 0 is full from the start");
    }
}
