package dev.hearth.controlplane.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FairQueueTest {

    private static String next(FairQueue<String, String> queue) {
        return queue.next().map(FairQueue.Grant::task).orElse(null);
    }

    @Test
    void aUserRunsAtMostItsSlots_andAnotherUserTakesTheFreeOne() {
        var queue = new FairQueue<String, String>(2, 1);
        for (int i = 1; i <= 10; i++) {
            queue.offer("a", "f" + i, "a" + i);
        }
        assertEquals("a1", next(queue));
        assertEquals(Optional.empty(), queue.next(), "a's second build waits though a slot is free: one running build per user");
        queue.offer("b", "g", "b1");
        assertEquals("b1", next(queue), "b's build takes the free slot at once");
        assertEquals(2, queue.running());
        assertEquals(9, queue.waiting());
    }

    @Test
    void aUsersOwnBuildsRunInTheOrderTheyCame() {
        var queue = new FairQueue<String, String>(1, 1);
        List.of("x", "y", "z").forEach(k -> queue.offer("a", k, k));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            order.add(next(queue));
            queue.done("a");
        }
        assertEquals(List.of("x", "y", "z"), order);
        assertEquals(0, queue.waiting());
    }

    @Test
    void slotsGoRoundRobinAcrossUsers() {
        var queue = new FairQueue<String, String>(1, 1);
        for (int i = 1; i <= 3; i++) {
            queue.offer("a", "a" + i, "a" + i);
        }
        queue.offer("b", "b1", "b1");
        queue.offer("b", "b2", "b2");
        queue.offer("c", "c1", "c1");
        List<String> order = new ArrayList<>();
        FairQueue.Grant<String, String> grant;
        while ((grant = queue.next().orElse(null)) != null) {
            order.add(grant.task());
            queue.done(grant.user());
        }
        assertEquals(List.of("a1", "b1", "c1", "a2", "b2", "a3"), order);
    }

    @Test
    void aLateUserWaitsAtMostOneTurn_evenWhenTheBusyUserMayUseEverySlot() {
        var queue = new FairQueue<String, String>(2, 2);
        for (int i = 1; i <= 10; i++) {
            queue.offer("a", "f" + i, "a" + i);
        }
        assertEquals("a1", next(queue));
        assertEquals("a2", next(queue), "idle slots are used: a may run two");
        queue.offer("b", "g", "b1");
        assertEquals(Optional.empty(), queue.next(), "every slot is taken");
        queue.done("a");
        assertEquals("b1", next(queue), "the first slot to come free is b's: it has none running");
        queue.done("a");
        assertEquals("a3", next(queue));
    }

    @Test
    void aUserComingBackJoinsTheRoundAtTheBack() {
        var queue = new FairQueue<String, String>(1, 1);
        queue.offer("a", "a1", "a1");
        queue.offer("a", "a2", "a2");
        queue.offer("c", "c1", "c1");
        queue.offer("c", "c2", "c2");
        queue.offer("b", "b1", "b1");
        assertEquals("a1", next(queue));
        queue.done("a");
        assertEquals("c1", next(queue));
        queue.done("c");
        assertEquals("b1", next(queue));
        queue.done("b");
        queue.offer("b", "b2", "b2");
        assertEquals("a2", next(queue), "b, gone idle and back, is behind a and c, who waited");
        queue.done("a");
        assertEquals("c2", next(queue));
        queue.done("c");
        assertEquals("b2", next(queue));
    }

    @Test
    void aNewerTaskOfTheSameKeySupersedesTheWaitingOneInItsPlace() {
        var queue = new FairQueue<String, String>(1, 1);
        queue.offer("a", "f", "f-v1");
        queue.offer("a", "g", "g-v1");
        assertEquals(Optional.of("f-v1"), queue.offer("a", "f", "f-v2"));
        assertEquals(2, queue.waiting());
        assertEquals("f-v2", next(queue), "the newer version keeps the older one's turn; the older one never runs");
        queue.done("a");
        assertEquals("g-v1", next(queue));
    }

    @Test
    void aRunningTaskIsNotSuperseded_theNewerOneWaitsBehindIt() {
        var queue = new FairQueue<String, String>(2, 1);
        queue.offer("a", "f", "f-v1");
        assertEquals("f-v1", next(queue));
        assertEquals(Optional.empty(), queue.offer("a", "f", "f-v2"));
        assertEquals(Optional.empty(), queue.next());
        queue.done("a");
        assertEquals("f-v2", next(queue));
    }

    @Test
    void aRemovedTaskNeverRuns_andOnlyTheWaitingOneIsRemoved() {
        var queue = new FairQueue<String, String>(1, 1);
        queue.offer("a", "f", "f");
        queue.offer("a", "g", "g");
        assertEquals("f", next(queue));
        assertEquals(Optional.empty(), queue.remove("a", "f"), "a running task is left to end");
        assertEquals(Optional.of("g"), queue.remove("a", "g"));
        assertEquals(Optional.empty(), queue.remove("nobody", "g"));
        queue.done("a");
        assertEquals(0, queue.waiting());
        assertTrue(queue.next().isEmpty());
    }

    @Test
    void theSameKeyOfAnotherUserIsAnotherTask() {
        var queue = new FairQueue<String, String>(2, 1);
        queue.offer("a", "f", "a-f");
        assertEquals(Optional.empty(), queue.offer("b", "f", "b-f"));
        assertEquals(2, queue.waiting());
    }

    @Test
    void settingsAndMisuseAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FairQueue<String, String>(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new FairQueue<String, String>(2, 0));
        var queue = new FairQueue<String, String>(1, 1);
        assertThrows(IllegalStateException.class, () -> queue.done("nobody"));
        assertTrue(queue.next().isEmpty());
    }
}
