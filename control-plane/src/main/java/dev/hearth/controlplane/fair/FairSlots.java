package dev.hearth.controlplane.fair;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on a fixed number of threads in the order a {@link FairQueue} hands out its slots.
 * One thread per slot, so a granted task never waits for a thread; the lock guards the queue
 * only and is never held while a task runs.
 *
 * @param <K> what identifies a task within its user's queue
 */
public final class FairSlots<K> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FairSlots.class);

    private final FairQueue<K, Runnable> queue;
    private final ExecutorService threads;

    /** @param name the threads' name, for thread dumps */
    public FairSlots(int slots, int userSlots, String name) {
        this.queue = new FairQueue<>(slots, userSlots);
        this.threads = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues {@code task} for {@code user}; returns the task it superseded (the same user's task
     * of the same key, still waiting), which will not run.
     */
    public Optional<Runnable> submit(String user, K key, Runnable task) {
        Optional<Runnable> superseded;
        synchronized (queue) {
            superseded = queue.offer(user, key, task);
        }
        dispatch();
        return superseded;
    }

    /** Drops the user's task of that key if it is still waiting; true when one was dropped. */
    public boolean cancel(String user, K key) {
        synchronized (queue) {
            return queue.remove(user, key).isPresent();
        }
    }

    private void dispatch() {
        while (true) {
            FairQueue.Grant<K, Runnable> grant;
            synchronized (queue) {
                if (threads.isShutdown()) {
                    return;
                }
                grant = queue.next().orElse(null);
            }
            if (grant == null) {
                return;
            }
            try {
                threads.execute(() -> run(grant));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    private void run(FairQueue.Grant<K, Runnable> grant) {
        try {
            grant.task().run();
        } catch (RuntimeException e) {
            log.warn("a queued task of {} failed", grant.user(), e);
        } finally {
            synchronized (queue) {
                queue.done(grant.user());
            }
            dispatch();
        }
    }

    /** Tasks waiting for a slot. */
    public int waiting() {
        synchronized (queue) {
            return queue.waiting();
        }
    }

    /** Stops the running tasks (interrupting them) and drops the waiting ones. */
    @Override
    public void close() {
        synchronized (queue) {
            threads.shutdownNow();
        }
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
