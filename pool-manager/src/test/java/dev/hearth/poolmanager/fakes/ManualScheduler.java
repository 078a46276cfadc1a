package dev.hearth.poolmanager.fakes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An executor and scheduler that runs nothing on its own: tasks wait until the test runs those
 * that are due ({@link #runDue}) or moves its clock ({@link #advance}). Time here is only this
 * scheduler's, so backoffs and delays are checked with literal values and no sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Task<?>> queue = new ArrayList<>();
    /** The delay of every task handed to {@code schedule}, in order, in milliseconds. */
    public final List<Long> scheduledDelaysMs = new ArrayList<>();
    private long nowNanos;
    private boolean shutdown;

    /** Runs every task that is due, including those the tasks themselves add; returns how many ran. */
    public synchronized int runDue() {
        int ran = 0;
        for (Task<?> next = nextDue(); next != null; next = nextDue()) {
            queue.remove(next);
            next.run();
            try {
                next.get();
            } catch (ExecutionException e) {
                throw new AssertionError("a scheduled task failed", e.getCause());
            } catch (InterruptedException | CancellationException e) {
                throw new AssertionError(e);
            }
            ran++;
        }
        return ran;
    }

    /** Moves this scheduler's clock on and runs what has come due. */
    public synchronized int advance(Duration by) {
        nowNanos += by.toNanos();
        return runDue();
    }

    /** Tasks waiting, due or not. */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    private Task<?> nextDue() {
        Task<?> first = null;
        for (Task<?> t : queue) {
            if (!t.isCancelled() && t.atNanos <= nowNanos && (first == null || t.atNanos < first.atNanos)) {
                first = t;
            }
        }
        return first;
    }

    private synchronized <V> Task<V> add(Callable<V> callable, long delayNanos) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Task<V> task = new Task<>(callable, nowNanos + Math.max(0, delayNanos));
        queue.add(task);
        return task;
    }

    @Override
    public void execute(Runnable command) {
        add(Executors.callable(command), 0);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        scheduledDelaysMs.add(unit.toMillis(delay));
        return add(Executors.callable(command), unit.toNanos(delay));
    }

    @Override
    public synchronized <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        scheduledDelaysMs.add(unit.toMillis(delay));
        return add(callable, unit.toNanos(delay));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not faked");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not faked");
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long atNanos;

        Task(Callable<V> callable, long atNanos) {
            super(callable);
            this.atNanos = atNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(atNanos - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
