package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The idle warm containers of one function version, and the calls waiting for one. Whoever
 * removes a container from the set owns it, so a caller taking it and the reaper evicting it can
 * never both win. A container that becomes free (given back after a call, or just started) goes
 * to the longest-waiting call first, else it waits idle. A short lock guards the set; nothing
 * is ever called under it but the set's own bookkeeping.
 */
final class WarmSet {

    /** The versions with idle containers, and how many each. */
    static Map<FunctionSpec.VersionKey, Integer> idleByVersion(Map<FunctionSpec.VersionKey, WarmSet> sets) {
        return sets.entrySet().stream().filter(e -> e.getValue().idleCount() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().idleCount(), (a, b) -> a));
    }

    /** The versions kept ready ({@code minWarm} above 0). */
    static Set<FunctionSpec.VersionKey> kept(Map<FunctionSpec.VersionKey, WarmSet> sets) {
        return sets.entrySet().stream().filter(e -> e.getValue().minWarm() > 0).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** A call waiting for a container; it is handed one, or the failure of a start made for it. */
    static final class Waiter {
        private final CompletableFuture<Starter.Ready> handed = new CompletableFuture<>();

        /** What the call was handed, or null when nothing came within {@code timeout}; a refused start is thrown. */
        Starter.Ready poll(Duration timeout) throws InterruptedException {
            try {
                return handed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return null;
            } catch (ExecutionException e) {
                throw (PoolException) e.getCause();
            }
        }

        /** What the call was handed, once {@link WarmSet#cancel} has said it was; a refused start is thrown. */
        Starter.Ready handedNow() {
            try {
                return handed.getNow(null);
            } catch (java.util.concurrent.CompletionException e) {
                throw (PoolException) e.getCause();
            }
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** The function's owner: every container of the set counts toward their share of the node. */
    private final String owner;
    /** How many of {@code minWarm} this version may keep now: its part of the node's provisioned share. */
    private volatile int kept;
    /** Most recently used first. */
    private final ArrayDeque<Warm> idle = new ArrayDeque<>();
    /** Longest waiting first. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Containers being started for waiting calls. */
    private int starting;
    /** Whether the last start for waiting calls was refused because the node was full, and when (nanoTime). */
    private boolean full;
    private long refusedAt;
    /** Containers being made ready ahead of any call, so two top-ups never start the same ones. */
    private int provisioning;
    private volatile boolean retired;
    /** The version as last prepared, with its {@code minWarm}; null when never prepared. */
    private volatile FunctionSpec prepared;

    WarmSet(String owner) {
        this.owner = java.util.Objects.requireNonNull(owner, "owner");
    }

    String owner() {
        return owner;
    }

    /** Sets how many provisioned containers the version may keep (at most its {@code minWarm}). */
    void keep(int count) {
        this.kept = Math.max(0, Math.min(count, minWarm()));
    }

    /** Provisioned containers the version keeps: never evicted for another's call while the owner is within its share. */
    int kept() {
        return Math.min(kept, minWarm());
    }

    /** Records the function's settings, for keeping {@code minWarm} containers ready. */
    void prepared(FunctionSpec function) {
        this.prepared = function;
    }

    FunctionSpec prepared() {
        return prepared;
    }

    int minWarm() {
        FunctionSpec function = prepared;
        return function == null ? 0 : function.minWarm();
    }

    /** How many containers to start so that {@code minWarm} wait idle; reserves them against other top-ups. */
    int claimMissing() {
        lock.lock();
        try {
            int missing = retired ? 0 : kept() - idle.size() - provisioning;
            if (missing <= 0) {
                return 0;
            }
            provisioning += missing;
            return missing;
        } finally {
            lock.unlock();
        }
    }

    /** One container claimed by {@link #claimMissing()} is ready or has failed. */
    void provisioned() {
        lock.lock();
        try {
            provisioning--;
        } finally {
            lock.unlock();
        }
    }

    /** The most recently used idle container, or null. */
    Warm take() {
        lock.lock();
        try {
            return idle.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Registers a call waiting for a container; handed an idle one at once if one came back meanwhile. */
    Waiter await() {
        var waiter = new Waiter();
        lock.lock();
        try {
            Warm warm = idle.pollFirst();
            if (warm != null) {
                waiter.handed.complete(new Starter.Ready(warm.container(), StartKind.WARM, null));
            } else {
                waiters.addLast(waiter);
            }
        } finally {
            lock.unlock();
        }
        return waiter;
    }

    /**
     * Whether to start one more container for the waiting calls: true (and counted as starting)
     * while they outnumber the starts under way, unless the node refused a start less than
     * {@code backoff} ago.
     */
    boolean claimStart(long nowNanos, Duration backoff) {
        lock.lock();
        try {
            if (waiters.size() <= starting || (full && nowNanos - refusedAt < backoff.toNanos())) {
                return false;
            }
            starting++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A start claimed by {@link #claimStart} made a container ready, or failed for a reason that is
     * the function's: the longest-waiting call gets it. With no call waiting a container waits idle
     * (as last used at {@code at}), unless the version was retired: then false, and the caller
     * removes it.
     */
    boolean started(Starter.Ready ready, java.time.Instant at, FunctionSpec.VersionKey key) {
        lock.lock();
        try {
            starting--;
            full = false;
            return hand(ready) || (ready.container() != null && park(new Warm(ready.container(), key, at)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * A start claimed by {@link #claimStart} was refused. A full node only delays the waiting
     * calls (a container may come back, or room be made); any other refusal is the
     * longest-waiting call's answer.
     */
    void startRefused(PoolException refusal, long nowNanos) {
        lock.lock();
        try {
            starting--;
            if (refusal.atCapacity()) {
                full = true;
                refusedAt = nowNanos;
                return;
            }
            Waiter first = waiters.pollFirst();
            if (first != null) {
                first.handed.completeExceptionally(refusal);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A start for the waiting calls has its room: they no longer wait on a full node, only for the start. */
    void roomFound() {
        lock.lock();
        try {
            full = false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the last start for waiting calls was refused because the node is full. */
    boolean full() {
        lock.lock();
        try {
            return full;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Withdraws a call that stops waiting. False when it was handed something meanwhile: the
     * caller then owns what {@link Waiter#poll} returns.
     */
    boolean cancel(Waiter waiter) {
        lock.lock();
        try {
            return waiters.remove(waiter);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a container back after a call: to the longest-waiting call, else idle. Returns false
     * when nobody waits and the function was retired meanwhile; the caller then owns the container
     * and must remove it.
     */
    boolean giveBack(Warm warm) {
        lock.lock();
        try {
            return hand(new Starter.Ready(warm.container(), StartKind.WARM, null)) || park(warm);
        } finally {
            lock.unlock();
        }
    }

    private boolean hand(Starter.Ready ready) {
        Waiter first = waiters.pollFirst();
        if (first == null) {
            return false;
        }
        first.handed.complete(ready);
        return true;
    }

    private boolean park(Warm warm) {
        if (retired) {
            return false;
        }
        idle.addFirst(warm);
        return true;
    }

    /** Claims one idle container for eviction; false when a caller took it first. */
    boolean claim(Warm warm) {
        lock.lock();
        try {
            return idle.remove(warm);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the version gone and hands over every idle container for removal. Calls still
     * waiting are served by the containers that come free; those are removed after.
     */
    List<Warm> retire() {
        lock.lock();
        try {
            retired = true;
            List<Warm> drained = new ArrayList<>(idle);
            idle.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    List<Warm> idleSnapshot() {
        lock.lock();
        try {
            return List.copyOf(idle);
        } finally {
            lock.unlock();
        }
    }

    int idleCount() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }
}
