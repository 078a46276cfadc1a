package dev.hearth.controlplane.fair;

import dev.hearth.poolmanager.support.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of worker threads shared fairly by keys (users) through a {@link FairQueue}: each
 * free worker takes the next key's turn, and no key runs more than its cap at once, so one key's
 * burst of slow work leaves the other workers to everyone else. Self-contained (it knows nothing
 * of invocations), so other shared work can use it too.
 *
 * @param <K> the key work is shared by
 */
public final class FairScheduler<K> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FairScheduler.class);
    /** How long {@link #close} waits for running tasks to end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final FairQueue<K, Runnable> queue;
    private final List<Thread> threads = new ArrayList<>();
    /** Counted down by each worker as it ends, so close waits once for all of them, not a deadline per thread. */
    private final CountDownLatch ended;
    private final Duration closeWait;
    private boolean closed;

    /** Starts {@code workers} daemon threads named {@code name-1…}. */
    public FairScheduler(String name, int workers, FairQueue.Limits limits) {
        this(name, workers, limits, CLOSE_WAIT);
    }

    FairScheduler(String name, int workers, FairQueue.Limits limits, Duration closeWait) {
        if (workers < 1) {
            throw new IllegalArgumentException("a scheduler needs at least one worker");
        }
        this.queue = new FairQueue<>(limits);
        this.ended = new CountDownLatch(workers);
        this.closeWait = closeWait;
        var factory = Threads.daemon(name);
        for (int i = 1; i <= workers; i++) {
            Thread t = factory.newThread(this::work);
            threads.add(t);
            t.start();
        }
    }

    /** Queues {@code task} for {@code key}; false when a bound of the queue is reached (nothing queued). */
    public synchronized boolean submit(K key, Runnable task) {
        if (closed || !queue.offer(key, task)) {
            return false;
        }
        notifyAll();
        return true;
    }

    public synchronized boolean hasRoom(K key) {
        return !closed && queue.hasRoom(key);
    }

    /** Drops {@code key}'s waiting tasks that {@code which} picks; returns how many (running ones are left to end). */
    public synchronized int cancel(K key, java.util.function.Predicate<? super Runnable> which) {
        return queue.removeWaiting(key, which);
    }

    public synchronized int waiting() {
        return queue.waiting();
    }

    private void work() {
        try {
            takeAndRun();
        } finally {
            ended.countDown();
        }
    }

    private void takeAndRun() {
        while (true) {
            FairQueue.Taken<K, Runnable> taken = null;
            synchronized (this) {
                while (!closed && (taken = queue.next()) == null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
            }
            try {
                taken.item().run();
            } catch (RuntimeException e) {
                log.warn("a scheduled task failed", e);
            } finally {
                synchronized (this) {
                    queue.finished(taken.key());
                    notifyAll();
                }
            }
        }
    }

    /** Stops taking work, interrupts running tasks and waits up to {@link #CLOSE_WAIT} for them to end; waiting tasks are dropped. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.drain();
            notifyAll();
        }
        threads.forEach(Thread::interrupt);
        try {
            // A task that ignores its interrupt is left running on its daemon thread.
            ended.await(closeWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
