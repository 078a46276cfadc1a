package dev.hearth.poolmanager.code;

import dev.hearth.poolmanager.support.Threads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep on a daemon thread of its own, again after the delay each run returns, until
 * closed. A run that throws is logged and tried again after {@code fallback}.
 */
public final class PeriodicSweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeriodicSweep.class);

    private final ScheduledExecutorService scheduler;
    private final Supplier<Duration> sweep;
    private final Duration fallback;

    private PeriodicSweep(String thread, Supplier<Duration> sweep, Duration fallback) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.daemon(thread));
        this.sweep = sweep;
        this.fallback = fallback;
    }

    public static PeriodicSweep start(String thread, Duration first, Duration fallback, Supplier<Duration> sweep) {
        var periodic = new PeriodicSweep(thread, sweep, fallback);
        periodic.scheduler.schedule(periodic::run, first.toMillis(), TimeUnit.MILLISECONDS);
        return periodic;
    }

    private void run() {
        Duration next = fallback;
        try {
            next = sweep.get();
        } catch (RuntimeException e) {
            log.warn("{} failed", Thread.currentThread().getName(), e);
        } finally {
            if (!scheduler.isShutdown()) {
                try {
                    scheduler.schedule(this::run, next.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // closed meanwhile
                }
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
