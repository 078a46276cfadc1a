package dev.hearth.controlplane.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FairSlotsTest {

    @Test
    void anotherUsersTaskRunsWhileTheFirstUsersTasksWait() throws Exception {
        var release = new CountDownLatch(1);
        var started = new CopyOnWriteArrayList<String>();
        var bRan = new CountDownLatch(1);
        var allDone = new CountDownLatch(4);
        try (var slots = new FairSlots<String>(2, 1, "test-slot")) {
            for (String task : List.of("a1", "a2", "a3")) {
                slots.submit("a", task, () -> {
                    started.add(task);
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    allDone.countDown();
                });
            }
            slots.submit("b", "b1", () -> {
                started.add("b1");
                bRan.countDown();
                allDone.countDown();
            });
            assertTrue(bRan.await(10, TimeUnit.SECONDS), "b's task ran while a's first one held its slot");
            assertEquals(List.of("a1", "b1"), started);
            assertEquals(2, slots.waiting());
            release.countDown();
            assertTrue(allDone.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("a1", "b1", "a2", "a3"), started);
        }
    }

    @Test
    void aSupersededTaskNeverRuns_andAFailingTaskFreesItsSlot() throws Exception {
        var release = new CountDownLatch(1);
        var ran = new CopyOnWriteArrayList<String>();
        var done = new CountDownLatch(1);
        try (var slots = new FairSlots<String>(1, 1, "test-slot")) {
            slots.submit("a", "busy", () -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the task failed");
            });
            assertTrue(slots.submit("a", "f", () -> ran.add("v1")).isEmpty());
            assertFalse(slots.submit("a", "f", () -> {
                ran.add("v2");
                done.countDown();
            }).isEmpty(), "v1 was superseded");
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS), "the failed task's slot came free");
            assertEquals(List.of("v2"), ran);
        }
    }
}
