package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's containers against its budget, with a fake engine and a room maker the test scripts. */
class FleetTest {

    @TempDir
    Path runDir;

    FakeNode node;
    Capacity capacity;
    final List<String> roomAsked = new ArrayList<>();
    /** What the pool does when asked for room; by default it finds none. */
    RoomMaker roomMaker = (owner, memoryMb) -> false;
    Fleet fleet;

    @BeforeEach
    void setUp() {
        node = new FakeNode(runDir, 2, 1024, Map.of(Language.PYTHON, 0));
        capacity = node.capacity;
        fleet = node.fleet((owner, memoryMb) -> {
            roomAsked.add(owner + ":" + memoryMb);
            return roomMaker.makeRoom(owner, memoryMb);
        });
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    ContainerFactory.Template python(String owner) {
        return fleet.runtime(Language.PYTHON).ownedBy(owner);
    }

    @Test
    void startFor_reservesBeforeTheContainerIsCreated_andTellsTheCallItHasRoom() throws Exception {
        AtomicInteger reservedAtStart = new AtomicInteger(-1);
        node.engine.onStart = (id, spec) -> {
            reservedAtStart.set(capacity.containers());
            node.listen(spec.hostDir());
        };
        AtomicInteger roomFound = new AtomicInteger();

        ContainerHandle container = fleet.startFor(python("alice"), 256, false, Demand.call("alice", roomFound::incrementAndGet));

        assertEquals(1, reservedAtStart.get(), "counted before the engine is asked");
        assertEquals(1, roomFound.get());
        assertEquals(256L, capacity.memoryMb());
        assertEquals(new FairShare.Usage(1, 256), fleet.held().get("alice"));
        assertEquals(256, container.memoryMb());
    }

    @Test
    void startFor_releasesTheReservation_whenTheStartFails() {
        node.engine.onStart = (id, spec) -> {
            throw new IllegalStateException("engine down");
        };

        assertThrows(IOException.class, () -> fleet.startFor(python("alice"), 256, false, Demand.background("alice")));

        assertEquals(0, fleet.containers());
        assertEquals(0L, capacity.memoryMb());
    }

    @Test
    void remove_releasesTheRoom_andRemovesTheContainer() throws Exception {
        ContainerHandle container = fleet.startFor(python("alice"), 256, false, Demand.background("alice"));

        fleet.remove(container);
        fleet.remove(container);

        assertEquals(0, fleet.containers(), "released once, however often it is removed");
        assertEquals(0L, capacity.memoryMb());
        assertEquals(List.of(container.id()), node.engine.removed);
    }

    @Test
    void discard_releasesOnce_andRemovesInTheBackground() throws Exception {
        ContainerHandle container = fleet.startFor(python("alice"), 256, false, Demand.background("alice"));

        fleet.discard(container);
        fleet.discard(container);

        assertEquals(0, fleet.containers());
        assertEquals(List.of(container.id()), node.engine.removed);
    }

    @Test
    void startFor_aFullNode_asksForRoomOnce_thenRefuses_leavingAClaimForAWaitingCall() throws Exception {
        fleet.startFor(python("alice"), 128, false, Demand.background("alice"));
        fleet.startFor(python("alice"), 128, false, Demand.background("alice"));
        AtomicInteger roomFound = new AtomicInteger();

        PoolException refused = assertThrows(PoolException.class,
                () -> fleet.startFor(python("bob"), 128, false, Demand.call("bob", roomFound::incrementAndGet)));

        assertTrue(refused.atCapacity());
        assertEquals(List.of("bob:128"), roomAsked);
        assertEquals(0, roomFound.get());
        assertEquals(2, node.engine.started.size(), "no container is created past the budget");
        ContainerHandle alices = new ContainerHandle(List.copyOf(node.engine.running.keySet()).get(0), "x", "python", runDir, 128);
        assertTrue(fleet.yields(alices), "bob's claim makes alice's container give way after its call");
    }

    @Test
    void startFor_aBackgroundStartOnAFullNode_leavesNoClaim() throws Exception {
        fleet.startFor(python("alice"), 128, false, Demand.background("alice"));
        fleet.startFor(python("alice"), 128, false, Demand.background("alice"));

        assertThrows(PoolException.class, () -> fleet.startFor(python("bob"), 128, false, Demand.background("bob")));

        ContainerHandle alices = new ContainerHandle(List.copyOf(node.engine.running.keySet()).get(0), "x", "python", runDir, 128);
        assertFalse(fleet.yields(alices));
    }

    @Test
    void startFor_aFullNode_startsOnceTheRoomMakerFreedAContainer() throws Exception {
        ContainerHandle first = fleet.startFor(python("alice"), 128, false, Demand.background("alice"));
        fleet.startFor(python("alice"), 128, false, Demand.background("alice"));
        roomMaker = (owner, memoryMb) -> {
            fleet.remove(first);
            return true;
        };

        ContainerHandle bobs = fleet.startFor(python("bob"), 128, false, Demand.call("bob", () -> {}));

        assertEquals(List.of("bob:128"), roomAsked);
        assertEquals(new FairShare.Usage(1, 128), fleet.held().get("bob"));
        assertEquals(2, fleet.containers());
        assertTrue(node.engine.running.containsKey(bobs.id()));
    }

    @Test
    void assign_givesAPooledContainerToItsOwner_inTheBudgetAndForTheCpu() throws Exception {
        assertTrue(fleet.reservePooled(FakeNode.POOL_MB));
        ContainerHandle pooled = fleet.start(fleet.runtime(Language.PYTHON), FairShare.POOL, FakeNode.POOL_MB, false);
        assertEquals(new FairShare.Usage(1, FakeNode.POOL_MB), fleet.held().get(FairShare.POOL));

        fleet.assign(pooled, "alice");

        assertNull(fleet.held().get(FairShare.POOL));
        assertEquals(new FairShare.Usage(1, FakeNode.POOL_MB), fleet.held().get("alice"));
        assertEquals(1, node.cpu.containersOf("alice"));
        fleet.remove(pooled);
        assertNull(fleet.held().get("alice"), "released under the owner it counts for now");
    }

    @Test
    void resize_movesTheLimitWithinTheBudget_orRefusesAfterAskingForRoom() throws Exception {
        ContainerHandle container = fleet.startFor(python("alice"), 128, false, Demand.background("alice"));

        ContainerHandle resized = fleet.resize(container, 512, Demand.background("alice"));

        assertEquals(512, resized.memoryMb());
        assertEquals(512, node.engine.memoryMb.get(container.id()));
        assertEquals(512L, capacity.memoryMb());
        assertThrows(PoolException.class, () -> fleet.resize(resized, 2048, Demand.background("alice")));
        assertEquals(List.of("alice:1536"), roomAsked, "asked once, for the difference");
        assertEquals(512L, capacity.memoryMb(), "a refused resize leaves the accounting as it was");
    }

    @Test
    void removeAll_removesEveryTrackedContainer() throws Exception {
        fleet.startFor(python("alice"), 128, false, Demand.background("alice"));
        fleet.startFor(python("bob"), 128, false, Demand.background("bob"));

        assertEquals(2, fleet.removeAll());

        assertTrue(node.engine.running.isEmpty());
    }
}
