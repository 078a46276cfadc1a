package dev.hearth.controlplane.fair;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Slots handed out fairly between users: the bookkeeping only, with no threads and no clock, so
 * its order is tested with plain calls. At most {@code slots} tasks run at once, at most
 * {@code userSlots} of them one user's. The next slot goes to the user with the fewest tasks
 * running, ties to the one whose turn comes first (a round robin: a user served goes to the back
 * of the round, a user arriving joins it at the back); a user's own tasks run in the order they came (FIFO). So a user with many waiting tasks delays
 * another user's one by at most one slot's turn. A task queued under a key that already waits
 * for the same user replaces it in its place: the newer one supersedes it and keeps its turn.
 * Not thread-safe: callers hold one lock around every call.
 *
 * @param <K> what identifies a task within its user's queue (a function's id)
 * @param <T> the task
 */
public final class FairQueue<K, T> {

    /** A task given a slot: run it, then call {@link #done} with its user. */
    public record Grant<K, T>(String user, K key, T task) {
        public Grant {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(task, "task");
        }
    }

    private static final class Tenant<K, T> {
        final LinkedHashMap<K, T> waiting = new LinkedHashMap<>();
        int running;
        /** Its place in the round: the lowest goes first; set on arrival and on every grant. */
        long turn;
    }

    private final int slots;
    private final int userSlots;
    private final Map<String, Tenant<K, T>> tenants = new HashMap<>();
    private int running;
    private long round;

    public FairQueue(int slots, int userSlots) {
        if (slots < 1 || userSlots < 1) {
            throw new IllegalArgumentException("slots and user slots must be at least 1, got " + slots + " and " + userSlots);
        }
        this.slots = slots;
        this.userSlots = userSlots;
    }

    /** Queues a task; returns the one it superseded (same user, same key, still waiting), if any. */
    public Optional<T> offer(String user, K key, T task) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(task, "task");
        // LinkedHashMap keeps a replaced key in its place: the newer task keeps the older one's turn.
        Tenant<K, T> tenant = tenants.computeIfAbsent(user, u -> {
            // A user arriving (or coming back) joins the round behind everyone already in it.
            Tenant<K, T> t = new Tenant<>();
            t.turn = ++round;
            return t;
        });
        return Optional.ofNullable(tenant.waiting.put(key, task));
    }

    /** The next task to run, taking a slot; empty when every slot is taken or no waiting user may run another. */
    public Optional<Grant<K, T>> next() {
        if (running >= slots) {
            return Optional.empty();
        }
        String chosen = null;
        Tenant<K, T> best = null;
        for (var entry : tenants.entrySet()) {
            Tenant<K, T> t = entry.getValue();
            if (t.waiting.isEmpty() || t.running >= userSlots) {
                continue;
            }
            if (best == null || t.running < best.running || (t.running == best.running && t.turn < best.turn)) {
                chosen = entry.getKey();
                best = t;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Iterator<Map.Entry<K, T>> first = best.waiting.entrySet().iterator();
        Map.Entry<K, T> task = first.next();
        first.remove();
        best.running++;
        best.turn = ++round;
        running++;
        return Optional.of(new Grant<>(chosen, task.getKey(), task.getValue()));
    }

    /** Drops the task waiting under that user and key, if any (a running one is left to end). */
    public Optional<T> remove(String user, K key) {
        Tenant<K, T> t = tenants.get(user);
        if (t == null) {
            return Optional.empty();
        }
        T removed = t.waiting.remove(key);
        forgetIfIdle(user, t);
        return Optional.ofNullable(removed);
    }

    /** A granted task of {@code user} has ended (however it ended): its slot is free. */
    public void done(String user) {
        Tenant<K, T> t = tenants.get(user);
        if (t == null || t.running == 0) {
            throw new IllegalStateException("no task of this user is running");
        }
        t.running--;
        running--;
        forgetIfIdle(user, t);
    }

    private void forgetIfIdle(String user, Tenant<K, T> t) {
        if (t.running == 0 && t.waiting.isEmpty()) {
            // Nothing of it is left to order: if it comes back, it joins the round at the back.
            tenants.remove(user);
        }
    }

    /** Tasks waiting for a slot, all users together. */
    public int waiting() {
        return tenants.values().stream().mapToInt(t -> t.waiting.size()).sum();
    }

    /** Tasks holding a slot, all users together. */
    public int running() {
        return running;
    }
}
