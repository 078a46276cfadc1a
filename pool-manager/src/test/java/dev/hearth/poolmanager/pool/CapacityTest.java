package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapacityTest {

    static final long MS = 1_000_000;

    static Capacity capacity(int containers, long memoryMb) {
        return new Capacity(containers, memoryMb, new FairShare(containers, memoryMb, 0.5));
    }

    @Test
    void tryReserve_stopsAtTheContainerLimit() {
        var capacity = capacity(2, 10_000);
        assertTrue(capacity.tryReserve("a", 128, 0));
        assertTrue(capacity.tryReserve("a", 128, 0));
        assertFalse(capacity.tryReserve("a", 128, 0));
        capacity.release("a", 128);
        assertTrue(capacity.tryReserve("a", 128, 0));
    }

    @Test
    void tryReserve_stopsAtTheMemoryBudget() {
        var capacity = capacity(10, 512);
        assertTrue(capacity.tryReserve("a", 256, 0));
        assertFalse(capacity.tryReserve("a", 512, 0), "would over-commit");
        assertTrue(capacity.tryReserve("b", 256, 0));
        assertEquals(512, capacity.memoryMb());
        assertEquals(2, capacity.containers());
    }

    @Test
    void tryResize_growsOnlyIntoRoom_andAlwaysShrinks() {
        var capacity = capacity(10, 512);
        assertTrue(capacity.tryReserve("a", 128, 0));
        assertTrue(capacity.tryResize("a", 128, 512));
        assertFalse(capacity.tryReserve("a", 1, 0));
        assertTrue(capacity.tryResize("a", 512, 64));
        assertEquals(64, capacity.memoryMb());
        assertEquals(64, capacity.held().get("a").memoryMb());
        assertFalse(capacity.tryResize("a", 64, 600));
        assertEquals(64, capacity.memoryMb(), "a refused resize changes nothing");
    }

    @Test
    void roomThatComesFree_goesToTheWaitingUser_notBackToTheOneHoldingTheNode() {
        var capacity = capacity(4, 10_000);
        for (int i = 0; i < 4; i++) {
            assertTrue(capacity.tryReserve("a", 128, 0));
        }
        assertFalse(capacity.tryReserve("b", 128, 0));
        capacity.claim("b", 128, 0);
        assertTrue(capacity.yields("a", 128, 10 * MS), "a holds the node while b waits");
        capacity.release("a", 128);
        assertFalse(capacity.tryReserve("a", 128, 20 * MS), "a may not take back the room b waits for");
        assertFalse(capacity.tryReserve(FairShare.POOL, 128, 20 * MS), "nor may the pool's refill");
        assertTrue(capacity.tryReserve("b", 128, 30 * MS));
        assertFalse(capacity.yields("a", 128, 40 * MS), "b's claim ended with its reservation");
    }

    @Test
    void aClaimNotRenewed_expires() {
        var capacity = capacity(2, 10_000);
        assertTrue(capacity.tryReserve("a", 128, 0));
        assertTrue(capacity.tryReserve("a", 128, 0));
        capacity.claim("b", 128, 0);
        capacity.release("a", 128);
        assertFalse(capacity.tryReserve("a", 128, Capacity.CLAIM_TTL.toNanos()));
        assertTrue(capacity.tryReserve("a", 128, Capacity.CLAIM_TTL.toNanos() + MS), "b stopped waiting");
    }

    @Test
    void aGenericContainerTakenForAFunction_countsForItsOwner() {
        var capacity = capacity(4, 10_000);
        assertTrue(capacity.tryReserve(FairShare.POOL, 128, 0));
        capacity.move(FairShare.POOL, "a", 128);
        assertEquals(1, capacity.held().get("a").containers());
        assertFalse(capacity.held().containsKey(FairShare.POOL));
        capacity.release("a", 128);
        assertTrue(capacity.held().isEmpty());
    }
}
