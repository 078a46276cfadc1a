package dev.hearth.controlplane.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AsyncStatusTest {

    /** The strings stored in records and shown by the API before the status was typed. */
    @Test
    void storedIds_areTheStringsRecordsAndTheApiHaveAlwaysUsed() {
        assertEquals(List.of("queued", "running", "succeeded", "failed", "dead-lettered"), AsyncStatus.ids());
        assertEquals("dead-lettered", AsyncStatus.DEAD_LETTERED.id());
        for (AsyncStatus status : AsyncStatus.values()) {
            assertEquals(Optional.of(status), AsyncStatus.fromId(status.id()));
        }
        assertEquals(Optional.empty(), AsyncStatus.fromId("DEAD_LETTERED"));
        assertEquals(Optional.empty(), AsyncStatus.fromId("claimed"));
    }

    @Test
    void canBecome_allowsExactlyTheLifeOfAnInvocation() {
        assertEquals(EnumSet.of(AsyncStatus.RUNNING, AsyncStatus.DEAD_LETTERED), next(AsyncStatus.QUEUED));
        assertEquals(EnumSet.of(AsyncStatus.RUNNING, AsyncStatus.DEAD_LETTERED), next(AsyncStatus.FAILED));
        assertEquals(EnumSet.of(AsyncStatus.SUCCEEDED, AsyncStatus.FAILED, AsyncStatus.DEAD_LETTERED, AsyncStatus.QUEUED),
                next(AsyncStatus.RUNNING));
        assertEquals(EnumSet.noneOf(AsyncStatus.class), next(AsyncStatus.SUCCEEDED));
        assertEquals(EnumSet.noneOf(AsyncStatus.class), next(AsyncStatus.DEAD_LETTERED));
    }

    @Test
    void before_isCanBecomeReadBackwards() {
        assertEquals(EnumSet.of(AsyncStatus.RUNNING), AsyncStatus.before(AsyncStatus.SUCCEEDED));
        assertEquals(EnumSet.of(AsyncStatus.RUNNING), AsyncStatus.before(AsyncStatus.QUEUED));
        assertEquals(EnumSet.of(AsyncStatus.QUEUED, AsyncStatus.RUNNING, AsyncStatus.FAILED),
                AsyncStatus.before(AsyncStatus.DEAD_LETTERED));
    }

    @Test
    void unfinishedAndAwaitingAttempt_areWhatTheQueueAndTheCapCount() {
        assertEquals(EnumSet.of(AsyncStatus.QUEUED, AsyncStatus.RUNNING, AsyncStatus.FAILED), AsyncStatus.unfinished());
        for (AsyncStatus status : AsyncStatus.values()) {
            assertEquals(status == AsyncStatus.QUEUED || status == AsyncStatus.FAILED, status.awaitsAttempt(), status.id());
            assertEquals(!AsyncStatus.unfinished().contains(status), status.isFinal(), status.id());
        }
        assertFalse(AsyncStatus.SUCCEEDED.canBecome(AsyncStatus.SUCCEEDED));
        assertTrue(AsyncStatus.DEAD_LETTERED.isFinal());
    }

    private static Set<AsyncStatus> next(AsyncStatus from) {
        Set<AsyncStatus> next = EnumSet.noneOf(AsyncStatus.class);
        for (AsyncStatus to : AsyncStatus.values()) {
            if (from.canBecome(to)) {
                next.add(to);
            }
        }
        return next;
    }
}
