package dev.hearth.controlplane.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

    @Test
    void close_interruptsRunningTasks_dropsWaitingOnes_andReturnsOnceTheyEnded() throws Exception {
        var started = new CountDownLatch(1);
        var interrupted = new CountDownLatch(1);
        var waitingRan = new CopyOnWriteArrayList<String>();
        var scheduler = new FairScheduler<String>("test", 1, ONE_EACH);
        scheduler.submit("a", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        scheduler.submit("a", () -> waitingRan.add("a2"));
        assertTrue(started.await(10, TimeUnit.SECONDS));

        scheduler.close();

        assertEquals(0, interrupted.getCount(), "the running task was interrupted, and close waited for it to end");
        assertEquals(0, scheduler.waiting());
        assertEquals(List.of(), waitingRan);
        assertFalse(scheduler.submit("a", () -> {}), "a closed scheduler takes no work");
    }

    @Test
    void close_givesUpAfterItsWait_onATaskThatIgnoresItsInterrupt() throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var scheduler = new FairScheduler<String>("test", 1, ONE_EACH, Duration.ofMillis(1));
        scheduler.submit("a", () -> {
            started.countDown();
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException ignored) {
                    // stubborn: keeps waiting for its release
                }
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));

        scheduler.close();

        assertEquals(1, release.getCount(), "close returned while the task still ran");
        release.countDown();
    }
}
