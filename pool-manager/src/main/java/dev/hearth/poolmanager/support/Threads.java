package dev.hearth.poolmanager.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Hearth's background threads: daemons (they never keep a stopping process alive), named for thread dumps. */
public final class Threads {

    private Threads() {}

    /** Daemon threads named {@code name-1}, {@code name-2}, … */
    public static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One daemon thread, not yet started. */
    public static Thread daemonThread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
