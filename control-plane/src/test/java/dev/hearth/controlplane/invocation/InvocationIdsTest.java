package dev.hearth.controlplane.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InvocationIdsTest {

    @Test
    void idsAreVersion7Uuids_carryingTheirMillisecond() {
        UUID id = UUID.fromString(InvocationIds.next(1_763_780_000_123L));
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(1_763_780_000_123L, id.getMostSignificantBits() >>> 16);
    }

    @Test
    void laterIdsSortLater_andIdsOfOneMillisecondDiffer() {
        assertTrue(InvocationIds.next(1_000).compareTo(InvocationIds.next(1_001)) < 0);
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(InvocationIds.next(42)));
        }
    }
}
