package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The idle warm containers of one function version, and how many of them it keeps ready.
 * Whoever removes a container from the set owns it, so a caller taking it and the reaper evicting
 * it can never both win. A container that becomes free (given back after a call, or just started)
 * goes to the longest-waiting call first ({@link WaitingCalls}), else it waits idle. One short
 * lock guards both, so that choice is one step; nothing is ever called under it but their own
 * bookkeeping.
 */
final class WarmSet {

    private final ReentrantLock lock = new ReentrantLock();
    /** The function's owner: every container of the set counts toward their share of the node. */
    private final String owner;
    /** How many of {@code minWarm} this version may keep now: its part of the node's provisioned share. */
    private volatile int kept;
    /** Most recently used first. */
    private final ArrayDeque<Warm> idle = new ArrayDeque<>();
    private final WaitingCalls calls = new WaitingCalls();
    /** Containers being made ready ahead of any call, so two top-ups never start the same ones. */
    private int provisioning;
    private volatile boolean retired;
    /** The version as last prepared, with its {@code minWarm}; null when never prepared. */
    private volatile FunctionSpec prepared;

    WarmSet(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
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
        return locked(() -> {
            int missing = retired ? 0 : kept() - idle.size() - provisioning;
            if (missing <= 0) {
                return 0;
            }
            provisioning += missing;
            return missing;
        });
    }

    /** One container claimed by {@link #claimMissing()} is ready or has failed. */
    void provisioned() {
        run(() -> provisioning--);
    }

    /** The most recently used idle container, or null. */
    Warm take() {
        return locked(idle::pollFirst);
    }

    /** Registers a call waiting for a container; handed an idle one at once if one came back meanwhile. */
    Waiter await() {
        var waiter = new Waiter();
        run(() -> {
            Warm warm = idle.pollFirst();
            if (warm != null) {
                waiter.hand(new Starter.Ready(warm.container(), StartKind.WARM, null));
            } else {
                calls.add(waiter);
            }
        });
        return waiter;
    }

    /**
     * Whether to start one more container for the waiting calls: true (and counted as starting)
     * while they outnumber the starts under way, unless the node refused a start less than
     * {@code backoff} ago.
     */
    boolean claimStart(long nowNanos, Duration backoff) {
        return locked(() -> calls.claimStart(nowNanos, backoff));
    }

    /**
     * A start claimed by {@link #claimStart} made a container ready, or failed for a reason that is
     * the function's: the longest-waiting call gets it. With no call waiting a container waits idle
     * (as last used at {@code at}), unless the version was retired: then false, and the caller
     * removes it.
     */
    boolean started(Starter.Ready ready, Instant at, FunctionSpec.VersionKey key) {
        return locked(() -> {
            calls.startEnded();
            return calls.hand(ready) || (ready.container() != null && park(new Warm(ready.container(), key, at)));
        });
    }

    /**
     * A start claimed by {@link #claimStart} was refused. A full node only delays the waiting
     * calls (a container may come back, or room be made); any other refusal is the
     * longest-waiting call's answer.
     */
    void startRefused(PoolException refusal, long nowNanos) {
        run(() -> calls.startRefused(refusal, nowNanos));
    }

    /** A start for the waiting calls has its room: they no longer wait on a full node, only for the start. */
    void roomFound() {
        run(calls::roomFound);
    }

    /** Whether the last start for waiting calls was refused because the node is full. */
    boolean full() {
        return locked(calls::full);
    }

    /**
     * Withdraws a call that stops waiting. False when it was handed something meanwhile: the
     * caller then owns what {@link Waiter#poll} returns.
     */
    boolean cancel(Waiter waiter) {
        return locked(() -> calls.cancel(waiter));
    }

    /**
     * Puts a container back after a call: to the longest-waiting call, else idle. Returns false
     * when nobody waits and the function was retired meanwhile; the caller then owns the container
     * and must remove it.
     */
    boolean giveBack(Warm warm) {
        return locked(() -> calls.hand(new Starter.Ready(warm.container(), StartKind.WARM, null)) || park(warm));
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
        return locked(() -> idle.remove(warm));
    }

    /**
     * Marks the version gone and hands over every idle container for removal. Calls still
     * waiting are served by the containers that come free; those are removed after.
     */
    List<Warm> retire() {
        return locked(() -> {
            retired = true;
            List<Warm> drained = new ArrayList<>(idle);
            idle.clear();
            return drained;
        });
    }

    /** Most recently used first. */
    List<Warm> idleSnapshot() {
        return locked(() -> List.copyOf(idle));
    }

    int idleCount() {
        return locked(idle::size);
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void run(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
