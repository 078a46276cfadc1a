package dev.hearth.poolmanager.docker;

import dev.hearth.poolmanager.support.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Divides the CPU between users, not containers: every container keeps its own cgroup (memory,
 * pids and its CPU quota untouched, on cgroup v1 and v2 alike), and the containers of one user
 * carry {@code base / n} shares each, so under contention a user with n containers weighs what a
 * user with one does. Weights cost nothing while the CPU is idle.
 *
 * <p>The counts change when a container is given to a user (started for them, or a pooled one
 * specialized) and when it is removed; the user's other containers are then re-weighted by
 * Docker API calls on a thread of this class, never on the call path, {@link #SETTLE} after the
 * first change not yet applied: a Docker update costs the engine (and runc) CPU, which a
 * re-weighting made at once would take from the very first call that caused it (a Java first
 * call measured 15.9 ms with it, 9.3 ms without), and the changes made meanwhile are coalesced
 * into one update per container. Changes never postpone it further, so a user's containers weigh
 * more than their share for at most that long. A new container is created with its share already
 * right; a pooled one keeps the base weight until it has a user.
 *
 * <p>Tenant code cannot change its weight: Docker mounts a container's cgroup read-only inside it,
 * and the user name here is only a key, never part of a path or a command.
 */
public final class CpuShares implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CpuShares.class);
    /** How long after a change (the first one not yet applied) containers are re-weighted. */
    public static final Duration SETTLE = Duration.ofMillis(200);

    /** Runs a task once, after a delay. */
    @FunctionalInterface
    interface Later {
        /** @throws RejectedExecutionException once shut down */
        void run(Runnable task, Duration delay);
    }

    private final CpuSettings settings;
    private final ContainerEngine engine;
    private final Object lock = new Object();
    /** Container (id or name, as the engine knows it) to its user. */
    private final Map<String, String> ownerOf = new HashMap<>();
    private final Map<String, Set<String>> byOwner = new HashMap<>();
    /** The weight each owned container's cgroup has now, as far as this node set it. */
    private final Map<String, Integer> applied = new HashMap<>();
    /** Users whose containers need re-weighting, in the order their counts changed. */
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Later updater;
    private final Duration settle;
    private final AutoCloseable stop;
    /** A drain is scheduled or running; changes meanwhile are picked up by it. */
    private boolean draining;
    private boolean closed;

    /** Re-weights on a thread of its own, {@link #SETTLE} after a change; {@link #close()} stops it. */
    public static CpuShares start(CpuSettings settings, ContainerEngine engine) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> Threads.daemonThread("cpu-shares", r));
        return new CpuShares(settings, engine, (task, delay) -> thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                SETTLE, thread::shutdownNow);
    }

    /**
     * @param updater runs the re-weighting, one task at a time
     * @param settle  how long after a change the re-weighting starts (and gathers the changes made meanwhile)
     * @param stop    stops {@code updater}
     */
    CpuShares(CpuSettings settings, ContainerEngine engine, Later updater, Duration settle, AutoCloseable stop) {
        this.settings = settings;
        this.engine = engine;
        this.updater = updater;
        this.settle = settle;
        this.stop = stop;
    }

    public CpuSettings settings() {
        return settings;
    }

    /** The weight of a container that has no user yet (pooled) or when CPU is shared per container. */
    public int base() {
        return settings.baseShares();
    }

    /** The weight a container about to be created for {@code owner} should start with. */
    public int forNew(String owner) {
        if (!settings.perUser()) {
            return base();
        }
        synchronized (lock) {
            Set<String> mine = byOwner.get(owner);
            return settings.divided((mine == null ? 0 : mine.size()) + 1);
        }
    }

    /**
     * The container now serves {@code owner}; its cgroup has {@code current} shares. The owner's
     * containers, this one included, are re-weighted in the background.
     */
    public void own(String container, String owner, int current) {
        if (!settings.perUser()) {
            return;
        }
        synchronized (lock) {
            if (closed || ownerOf.containsKey(container)) {
                return;
            }
            ownerOf.put(container, owner);
            byOwner.computeIfAbsent(owner, o -> new HashSet<>()).add(container);
            applied.put(container, current);
            markDirty(owner);
        }
    }

    /** The container is gone or going: its user's other containers get its share back. */
    public void release(String container) {
        synchronized (lock) {
            String owner = ownerOf.remove(container);
            applied.remove(container);
            if (owner == null) {
                return;
            }
            Set<String> mine = byOwner.get(owner);
            mine.remove(container);
            if (mine.isEmpty()) {
                byOwner.remove(owner);
                dirty.remove(owner);
            } else if (!closed) {
                markDirty(owner);
            }
        }
    }

    /** How many containers of {@code owner} this node counts now. */
    public int containersOf(String owner) {
        synchronized (lock) {
            Set<String> mine = byOwner.get(owner);
            return mine == null ? 0 : mine.size();
        }
    }

    /** Called with the lock held. */
    private void markDirty(String owner) {
        dirty.add(owner);
        if (!draining) {
            draining = true;
            try {
                updater.run(this::drain, settle);
            } catch (RejectedExecutionException e) {
                draining = false;
            }
        }
    }

    /** Re-weights dirty users one at a time; the engine is called with no lock held. */
    private void drain() {
        while (true) {
            String owner;
            int target;
            List<String> stale = new ArrayList<>();
            synchronized (lock) {
                if (closed || dirty.isEmpty()) {
                    draining = false;
                    return;
                }
                var next = dirty.iterator();
                owner = next.next();
                next.remove();
                Set<String> mine = byOwner.getOrDefault(owner, Set.of());
                target = settings.divided(mine.size());
                for (String container : mine) {
                    if (applied.getOrDefault(container, -1) != target) {
                        stale.add(container);
                    }
                }
            }
            for (String container : stale) {
                try {
                    engine.setCpuShares(container, target);
                } catch (RuntimeException e) {
                    // Usually a container removed meanwhile; a live one is retried at its user's next change.
                    log.debug("cannot set the CPU shares of {} to {}: {}", container, target, e.getMessage());
                    continue;
                }
                synchronized (lock) {
                    if (ownerOf.containsKey(container)) {
                        applied.put(container, target);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            dirty.clear();
        }
        try {
            stop.close();
        } catch (Exception e) {
            log.debug("cannot stop the re-weighting thread: {}", e.getMessage());
        }
    }
}
