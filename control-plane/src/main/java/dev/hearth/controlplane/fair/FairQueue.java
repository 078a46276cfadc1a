package dev.hearth.controlplane.fair;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Waiting work of many keys (users), taken in turn: {@link #next} goes round the keys that have
 * work waiting and are under their running cap, one item each, so a key with a thousand items
 * waiting gets no more turns than a key with one, and can never run more than its cap at once
 * while others wait for a slot. Pure policy, no threads or clock: not thread-safe, its owner
 * ({@link FairScheduler}) locks around it. Async invocations, callbacks and builds share their
 * workers through it.
 *
 * @param <K> the key work is shared by
 * @param <T> the work
 */
public final class FairQueue<K, T> {

    /**
     * Bounds of the queue.
     *
     * @param perKeyRunning items of one key out of the queue (running) at once
     * @param perKeyWaiting items of one key waiting; past it {@link #offer} refuses
     * @param totalWaiting  items of all keys waiting; past it {@link #offer} refuses
     */
    public record Limits(int perKeyRunning, int perKeyWaiting, int totalWaiting) {
        public Limits {
            if (perKeyRunning < 1 || perKeyWaiting < 1 || totalWaiting < 1) {
                throw new IllegalArgumentException("fair queue limits must be at least 1");
            }
        }
    }

    /** One item taken from the queue, with its key, to hand back to {@link #finished}. */
    public record Taken<K, T>(K key, T item) {}

    private static final class Lane<T> {
        final ArrayDeque<T> waiting = new ArrayDeque<>();
        int running;
    }

    private final Limits limits;
    private final Map<K, Lane<T>> lanes = new HashMap<>();
    /** Keys with items waiting, in the order of their next turn. */
    private final ArrayDeque<K> turns = new ArrayDeque<>();
    private int waiting;

    public FairQueue(Limits limits) {
        this.limits = limits;
    }

    /** Adds {@code item} behind {@code key}'s waiting ones; false (and nothing added) past a bound. */
    public boolean offer(K key, T item) {
        if (waiting >= limits.totalWaiting()) {
            return false;
        }
        Lane<T> lane = lanes.computeIfAbsent(key, k -> new Lane<>());
        if (lane.waiting.size() >= limits.perKeyWaiting()) {
            return false;
        }
        if (lane.waiting.isEmpty()) {
            turns.addLast(key);
        }
        lane.waiting.addLast(item);
        waiting++;
        return true;
    }

    /** The next item by turn among keys under their running cap (now counted as running), or null. */
    public Taken<K, T> next() {
        for (int i = turns.size(); i > 0; i--) {
            K key = turns.pollFirst();
            Lane<T> lane = lanes.get(key);
            if (lane.running >= limits.perKeyRunning()) {
                turns.addLast(key); // its turn waits for one of its own to finish
                continue;
            }
            T item = lane.waiting.pollFirst();
            waiting--;
            lane.running++;
            if (!lane.waiting.isEmpty()) {
                turns.addLast(key);
            }
            return new Taken<>(key, item);
        }
        return null;
    }

    /** One item of {@code key} taken by {@link #next} has ended. */
    public void finished(K key) {
        Lane<T> lane = lanes.get(key);
        if (lane == null || lane.running == 0) {
            throw new IllegalStateException("nothing of this key is running");
        }
        lane.running--;
        if (lane.running == 0 && lane.waiting.isEmpty()) {
            lanes.remove(key);
        }
    }

    /**
     * Drops the waiting items of {@code key} that {@code which} picks (a newer one supersedes
     * them, or what they were for is gone); returns how many. Running ones are left to end.
     */
    public int removeWaiting(K key, java.util.function.Predicate<? super T> which) {
        Lane<T> lane = lanes.get(key);
        if (lane == null) {
            return 0;
        }
        int before = lane.waiting.size();
        lane.waiting.removeIf(which);
        int removed = before - lane.waiting.size();
        waiting -= removed;
        if (lane.waiting.isEmpty()) {
            turns.remove(key);
            if (lane.running == 0) {
                lanes.remove(key);
            }
        }
        return removed;
    }

    /** True when {@link #offer} would take an item of {@code key} now. */
    public boolean hasRoom(K key) {
        Lane<T> lane = lanes.get(key);
        return waiting < limits.totalWaiting() && (lane == null || lane.waiting.size() < limits.perKeyWaiting());
    }

    public int waiting() {
        return waiting;
    }

    public int waiting(K key) {
        Lane<T> lane = lanes.get(key);
        return lane == null ? 0 : lane.waiting.size();
    }

    public int running(K key) {
        Lane<T> lane = lanes.get(key);
        return lane == null ? 0 : lane.running;
    }

    /** Every waiting item, removed (the queue is closing). */
    public java.util.List<T> drain() {
        var all = new java.util.ArrayList<T>(waiting);
        for (Lane<T> lane : lanes.values()) {
            all.addAll(lane.waiting);
            lane.waiting.clear();
        }
        turns.clear();
        waiting = 0;
        return all;
    }
}
