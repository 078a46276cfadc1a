package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapacityTest {

    @Test
    void tryReserve_stopsAtTheContainerLimit() {
        var capacity = new Capacity(2, 10_000);
        assertTrue(capacity.tryReserve(128));
        assertTrue(capacity.tryReserve(128));
        assertFalse(capacity.tryReserve(128));
        capacity.release(128);
        assertTrue(capacity.tryReserve(128));
    }

    @Test
    void tryReserve_stopsAtTheMemoryBudget() {
        var capacity = new Capacity(10, 512);
        assertTrue(capacity.tryReserve(256));
        assertFalse(capacity.tryReserve(512), "would over-commit");
        assertTrue(capacity.tryReserve(256));
        assertEquals(512, capacity.memoryMb());
        assertEquals(2, capacity.containers());
    }

    @Test
    void tryResize_growsOnlyIntoRoom_andAlwaysShrinks() {
        var capacity = new Capacity(10, 512);
        assertTrue(capacity.tryReserve(128));
        assertTrue(capacity.tryResize(128, 512));
        assertFalse(capacity.tryReserve(1));
        assertTrue(capacity.tryResize(512, 64));
        assertEquals(64, capacity.memoryMb());
        assertFalse(capacity.tryResize(64, 600));
        assertEquals(64, capacity.memoryMb(), "a refused resize changes nothing");
    }
}
