package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig.RuntimeConfig;
import dev.hearth.poolmanager.PoolSizingSettings;
import dev.hearth.poolmanager.fakes.ManualScheduler;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pools following demand, on a scheduler and a clock the test moves by hand: a burst of
 * takes grows a pool up to its ceiling with a bounded number of starts at once, quiet shrinks it
 * back to the floor at a bounded rate, and a call needing room gets a generic container's first.
 */
class PoolGrowthTest {

    static final Duration WINDOW = Duration.ofSeconds(10); // 1 s buckets and ticks

    @TempDir
    Path runDir;

    final ManualScheduler scheduler = new ManualScheduler();
    private int versions;

    /** A version not seen before: a specialization the pool did not expect. */
    VersionKey aVersion() {
        return new VersionKey("fn-" + versions++, 1);
    }
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    FakeNode node;
    Fleet fleet;
    PrewarmedPools pools;

    void pools(int maxContainers, int floor, int ceiling, int startConcurrency) {
        pools(maxContainers, floor, ceiling, startConcurrency, 2.0);
    }

    void pools(int maxContainers, int floor, int ceiling, int startConcurrency, double headroom) {
        node = new FakeNode(runDir, maxContainers, 64L * 1024, Map.of(Language.PYTHON, new RuntimeConfig("hearth/runtime-python", floor, ceiling)),
                new PoolSizingSettings(WINDOW, headroom, startConcurrency, 2));
        fleet = node.fleet((owner, memoryMb) -> false);
        pools = new PrewarmedPools(node.config, new PoolPolicy(node.config.idleTimeout(), maxContainers), fleet, scheduler, scheduler,
                clock);
        pools.refillAll();
        scheduler.runDue();
    }

    @AfterEach
    void close() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    int waiting() {
        return pools.waiting().get("python");
    }

    List<ContainerHandle> takeAll(int n) {
        List<ContainerHandle> taken = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ContainerHandle c = pools.take(Language.PYTHON, aVersion());
            if (c != null) {
                taken.add(c);
            }
        }
        return taken;
    }

    void pass(Duration by) {
        clock.advance(by);
        scheduler.advance(by);
    }

    @Test
    void aBurstOfTakes_growsThePool_toItsCeiling() {
        pools(64, 2, 8, 4);
        assertEquals(2, waiting());

        takeAll(10); // 10 in one bucket: 10/s × the assumed 1 s start × 2 is far above the ceiling
        pass(Duration.ofMillis(50));

        assertEquals(8, waiting(), "grown to the ceiling, not past it");
        assertEquals(8, pools.target(Language.PYTHON));
        assertEquals(2 + 8, node.engine.started.size());
    }

    @Test
    void quiet_shrinksThePoolBackToItsFloor_aBoundedNumberATick() {
        pools(64, 2, 8, 4);
        takeAll(10);
        pass(Duration.ofMillis(50));
        assertEquals(8, waiting());

        pass(Duration.ofSeconds(5));
        pools.tick();
        assertEquals(8, waiting(), "within the window the grown pool stays");

        pass(Duration.ofSeconds(5));
        assertEquals(2, pools.target(Language.PYTHON), "a window of quiet: the target is the floor");
        pools.tick();
        assertEquals(6, waiting(), "2 a second over a 1 s tick");
        pools.tick();
        pools.tick();
        assertEquals(2, waiting());
        pools.tick();
        assertEquals(2, waiting(), "never below the floor");
        assertEquals(2 + 2, fleet.containers(), "the floor and the two taken; the surplus is gone from the budget");
    }

    @Test
    void starts_runAtMostStartConcurrencyAtOnce() {
        pools(64, 2, 8, 3);
        takeAll(10); // each take schedules a refill 50 ms on: 10 tasks not yet due
        int before = node.engine.started.size();

        pools.refill(Language.PYTHON);
        pools.refill(Language.PYTHON);

        assertEquals(10 + 3, scheduler.pending(), "three starts handed out, whatever the refills asked");
        assertEquals(2 + 3, fleet.containers(), "the two taken, and room reserved for three starts only");
        scheduler.runDue();
        assertEquals(before + 8, node.engine.started.size(), "each finished start hands its place to the next");
        assertEquals(8, waiting());
    }

    @Test
    void aNodeNearFull_keepsRoomForCalls_theFloorStays() {
        pools(8, 2, 8, 4);
        List<ContainerHandle> taken = takeAll(2);
        for (ContainerHandle c : taken) {
            fleet.assign(c, "alice");
        }
        assertTrue(fleet.reservePooled(FakeNode.POOL_MB) && fleet.reservePooled(FakeNode.POOL_MB), "stand-ins for calls' containers");
        takeAll(8);
        pass(Duration.ofMillis(50));

        // 8 in all: 2 of alice, 2 held, the floor of 2; of the 2 free, half may grow the pool.
        assertEquals(3, waiting());
        assertEquals(1, fleet.freeSlots(FakeNode.POOL_MB), "room is left for a call");
    }

    @Test
    void giveUpOne_removesAGenericContainer_forACallsRoom() {
        pools(64, 2, 8, 4);
        int before = fleet.containers();

        assertTrue(pools.giveUpOne());
        assertEquals(1, waiting());
        assertEquals(before - 1, fleet.containers(), "its room is free at once");
        assertTrue(pools.giveUpOne());
        assertFalse(pools.giveUpOne(), "nothing left to give");
        assertNotNull(pools.waiting());
    }

    @Test
    void expect_holdsOneContainerPerVersionDeployed_aheadOfItsFirstCall() {
        pools(64, 2, 8, 4, 0.0); // no headroom: the calls' own rate adds nothing here
        List<VersionKey> deployed = List.of(aVersion(), aVersion(), aVersion(), aVersion());

        // Four deploys a second apart.
        for (VersionKey version : deployed) {
            pools.expect(Language.PYTHON, version);
            pass(Duration.ofSeconds(1));
        }
        scheduler.runDue();

        assertEquals(2 + 4, pools.target(Language.PYTHON), "the floor, and one for each first call to come");
        assertEquals(6, waiting());

        pools.expect(Language.PYTHON, deployed.get(3));
        assertEquals(6, pools.target(Language.PYTHON), "a version deployed again is expected once");

        assertNotNull(pools.take(Language.PYTHON, deployed.get(0)));
        assertNotNull(pools.take(Language.PYTHON, deployed.get(1)));
        assertEquals(2 + 2, pools.target(Language.PYTHON), "a first call that came is no longer expected");
        pass(Duration.ofMillis(50));
        assertEquals(4, waiting(), "the two taken are not replaced past the target");
    }

    @Test
    void expect_lastsOneWindow_thenThePoolShrinksToItsFloor() {
        pools(64, 2, 8, 4);
        pools.expect(Language.PYTHON, aVersion());
        pools.expect(Language.PYTHON, aVersion());
        pools.expect(Language.PYTHON, aVersion());
        scheduler.runDue();
        assertEquals(5, waiting());

        pass(Duration.ofSeconds(9));
        assertEquals(5, pools.target(Language.PYTHON), "still within the window");
        pass(Duration.ofSeconds(1));
        assertEquals(2, pools.target(Language.PYTHON), "no first call within a window: they count no longer");
        pools.tick();
        pools.tick();
        assertEquals(2, waiting());
    }

    @Test
    void expect_endsWhenTheVersionIsRetired_andThePoolShrinksBack() {
        pools(64, 2, 8, 4);
        VersionKey deleted = aVersion();
        pools.expect(Language.PYTHON, deleted);
        pools.expect(Language.PYTHON, aVersion());
        scheduler.runDue();
        assertEquals(4, waiting());

        pools.withdraw(version -> version.functionId().equals(deleted.functionId()));
        assertEquals(3, pools.target(Language.PYTHON), "a function deleted before its first call holds nothing for it");
        pools.tick();
        assertEquals(3, waiting());
    }

    /** {@code n} versions deployed, none called yet; the starts they ask for run. */
    void deployed(int n) {
        for (int i = 0; i < n; i++) {
            pools.expect(Language.PYTHON, aVersion());
        }
        scheduler.runDue();
    }

    @Test
    void expect_isBoundedByTheCeiling() {
        pools(64, 2, 8, 4);
        deployed(30);
        assertEquals(8, waiting(), "thirty expected, the ceiling holds");
    }

    @Test
    void expect_onANodeNearFull_leavesHalfTheRoomToCalls() {
        pools(8, 2, 8, 4);
        deployed(30);
        // 8 in all, the floor of 2: of the 6 free, half may grow the pool.
        assertEquals(5, waiting());
        assertEquals(3, fleet.freeSlots(FakeNode.POOL_MB));
    }

    @Test
    void aCallOnAFullNode_getsTheRoomOfAGenericContainer_beforeAnyUsersIsEvicted() throws Exception {
        node = new FakeNode(runDir, 3, 3L * FakeNode.POOL_MB, Map.of(Language.PYTHON, new RuntimeConfig("hearth/runtime-python", 3, 3)),
                new PoolSizingSettings(WINDOW, 2.0, 4, 2));
        RoomLink room = new RoomLink(FakeNode.POOL_MB);
        List<String> askedRegistry = new ArrayList<>();
        room.registry = (owner, memoryMb) -> askedRegistry.add(owner) && false;
        fleet = node.fleet(room);
        pools = new PrewarmedPools(node.config, new PoolPolicy(node.config.idleTimeout(), 3), fleet, scheduler, scheduler, clock);
        room.fleet = fleet;
        room.prewarmed = pools;
        pools.refillAll();
        scheduler.runDue();
        assertEquals(3, fleet.containers(), "the pool fills the node");

        ContainerHandle mine = fleet.startFor(fleet.runtime(Language.PYTHON).ownedBy("alice"), 2 * FakeNode.POOL_MB, false,
                Demand.call("alice", () -> {}));

        assertNotNull(mine);
        assertEquals(1, waiting(), "two generic containers gave their room (and memory) to alice's call");
        assertTrue(askedRegistry.isEmpty(), "no user's container was considered: " + askedRegistry);
        assertEquals(new FairShare.Usage(1, 2L * FakeNode.POOL_MB), fleet.held().get("alice"));
    }
}
