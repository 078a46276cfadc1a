package dev.hearth.controlplane.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FairSchedulerTest {

    static final FairQueue.Limits ONE_EACH = new FairQueue.Limits(1, 100, 100);

    /** A task that notes its name and waits for {@code release}. */
    private static Runnable holding(String name, List<String> started, CountDownLatch release, CountDownLatch done) {
        return () -> {
            started.add(name);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        };
    }

    @Test
    void anotherKeysTaskRuns_whileTheFirstKeysTasksWait() throws Exception {
        var release = new CountDownLatch(1);
        var started = new CopyOnWriteArrayList<String>();
        var bRan = new CountDownLatch(1);
        var allDone = new CountDownLatch(4);
        try (var scheduler = new FairScheduler<String>("test", 2, ONE_EACH)) {
            for (String task : List.of("a1", "a2", "a3")) {
                assertTrue(scheduler.submit("a", holding(task, started, release, allDone)));
            }
            // a1 holds its worker before b arrives, so the order seen below is the scheduler's, not a race of two threads.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!started.contains("a1") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            scheduler.submit("b", () -> {
                started.add("b1");
                bRan.countDown();
                allDone.countDown();
            });
            assertTrue(bRan.await(10, TimeUnit.SECONDS), "b's task ran while a's first one held a worker");
            assertEquals(List.of("a1", "b1"), started);
            assertEquals(2, scheduler.waiting(), "a's others wait: one worker is free, but a is at its cap");
            release.countDown();
            assertTrue(allDone.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("a1", "b1", "a2", "a3"), started);
        }
    }

    @Test
    void aCancelledTaskNeverRuns_andAFailingTaskFreesItsWorker() throws Exception {
        var release = new CountDownLatch(1);
        var ran = new CopyOnWriteArrayList<String>();
        var done = new CountDownLatch(1);
        record Named(String name, Runnable body) implements Runnable {
            @Override
            public void run() {
                body.run();
            }
        }
        try (var scheduler = new FairScheduler<String>("test", 1, ONE_EACH)) {
            scheduler.submit("a", () -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the task failed");
            });
            scheduler.submit("a", new Named("v1", () -> ran.add("v1")));
            assertEquals(1, scheduler.cancel("a", t -> t instanceof Named n && n.name().equals("v1")));
            assertEquals(0, scheduler.cancel("b", t -> true), "another key's tasks are not touched");
            scheduler.submit("a", new Named("v2", () -> {
                ran.add("v2");
                done.countDown();
            }));
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS), "the failed task's worker came free");
            assertEquals(List.of("v2"), ran);
        }
    }
}
