package dev.hearth.controlplane.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FairQueueTest {

    private static List<String> take(FairQueue<String, String> queue, int n) {
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var next = queue.next();
            taken.add(next == null ? null : next.item());
        }
        return taken;
    }

    @Test
    void keys_takeTurns_whateverTheirBacklog() {
        var queue = new FairQueue<String, String>(new FairQueue.Limits(10, 100, 1000));
        for (int i = 0; i < 50; i++) {
            queue.offer("a", "a" + i);
        }
        queue.offer("b", "b0");
        queue.offer("c", "c0");
        queue.offer("b", "b1");
        assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "a2"), take(queue, 6));
    }

    @Test
    void aKeyAtItsRunningCap_waits_whileOthersRun() {
        var queue = new FairQueue<String, String>(new FairQueue.Limits(2, 100, 1000));
        for (int i = 0; i < 5; i++) {
            queue.offer("a", "a" + i);
        }
        assertEquals(List.of("a0", "a1"), take(queue, 2));
        assertNull(queue.next(), "a holds its cap of 2");
        queue.offer("b", "b0");
        assertEquals("b0", queue.next().item(), "b runs at once, beside a's two");
        queue.finished("a");
        assertEquals("a2", queue.next().item(), "a's next starts when one of its own ends");
        assertEquals(2, queue.running("a"));
        assertEquals(2, queue.waiting("a"));
    }

    @Test
    void offers_pastAKeysOrTheTotalBound_areRefused() {
        var queue = new FairQueue<String, String>(new FairQueue.Limits(1, 2, 3));
        assertTrue(queue.offer("a", "a0"));
        assertTrue(queue.offer("a", "a1"));
        assertFalse(queue.hasRoom("a"));
        assertFalse(queue.offer("a", "a2"), "a's lane is full");
        assertTrue(queue.offer("b", "b0"), "b has its own lane");
        assertFalse(queue.offer("c", "c0"), "three wait in all");
        assertEquals(3, queue.waiting());
        queue.next();
        assertTrue(queue.offer("c", "c0"), "taking one makes room");
    }

    @Test
    void aKeyWithNothingLeft_isForgotten() {
        var queue = new FairQueue<String, String>(new FairQueue.Limits(1, 10, 10));
        queue.offer("a", "a0");
        queue.next();
        queue.finished("a");
        assertEquals(0, queue.running("a"));
        assertEquals(0, queue.waiting());
        assertNull(queue.next());
    }

    @Test
    void removedItems_leaveTheQueue_andAKeyWithNoneLeftLosesItsTurn() {
        var queue = new FairQueue<String, String>(new FairQueue.Limits(1, 10, 10));
        queue.offer("a", "a0");
        queue.offer("a", "a1");
        queue.offer("b", "b0");
        assertEquals(2, queue.removeWaiting("a", item -> true));
        assertEquals(0, queue.removeWaiting("a", item -> true));
        assertEquals(1, queue.waiting());
        assertEquals("b0", queue.next().item(), "a has nothing waiting: b's turn comes at once");
        assertNull(queue.next());
        queue.offer("a", "a2");
        assertEquals(1, queue.removeWaiting("a", "a2"::equals));
        assertTrue(queue.hasRoom("a"));
    }
}
