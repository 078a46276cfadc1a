package dev.hearth.poolmanager.code;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What {@link CodeCache} knows about its entries: their sizes and last use, which function
 * versions use which digest, and which entries are pinned (being unpacked, or being linked into
 * a container). Every change happens under this object's monitor, with times passed in; the
 * only disk work done under it is the rename that takes an evicted entry out of sight, so a
 * digest on disk under its own name is always one this ledger holds.
 */
final class CodeLedger {

    /** One version of one function, the user of a digest. */
    record User(String functionId, long version) {
        User {
            Objects.requireNonNull(functionId, "functionId");
        }
    }

    /** Retirements remembered, so a call racing a deletion cannot mark the deleted code used again. */
    private static final int RETIREMENTS_KEPT = 10_000;

    static final class Entry {
        final String digest;
        /** Completes when the unpacking that created this entry ends, either way. */
        final CompletableFuture<Void> unpacked = new CompletableFuture<>();
        long bytes;
        boolean ready;
        int pins;
        volatile long lastUsedMillis;
        Instant unreferencedSince;

        Entry(String digest) {
            this.digest = digest;
        }
    }

    /** What a caller of {@link #claim} must do next. */
    sealed interface Claim {
        /** The entry is on disk and pinned for the caller, who must {@link #unpin} it. */
        record Ready() implements Claim {}
        /** The caller unpacks it, then calls {@link #published} or {@link #failed}. */
        record Unpack() implements Claim {}
        /** Someone else is unpacking it: wait, then claim again. */
        record Wait(CompletableFuture<Void> unpacked) implements Claim {}
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<User, String> versions = new ConcurrentHashMap<>();
    private final Map<String, Integer> users = new HashMap<>();
    /** Deleted functions: none of their versions registers again. */
    private final Set<String> retiredFunctions = bounded();
    /** Retired versions of functions that live on: only these versions register no more. */
    private final Set<User> retiredVersions = bounded();

    /** A set forgetting its oldest members beyond {@link #RETIREMENTS_KEPT}; guarded by this monitor. */
    private static <T> Set<T> bounded() {
        return Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
                return size() > RETIREMENTS_KEPT;
            }
        });
    }

    synchronized Claim claim(String digest, long nowMillis) {
        Entry e = entries.get(digest);
        if (e == null) {
            e = new Entry(digest);
            e.pins = 1;
            e.lastUsedMillis = nowMillis;
            entries.put(digest, e);
            return new Claim.Unpack();
        }
        if (!e.ready) {
            return new Claim.Wait(e.unpacked);
        }
        e.pins++;
        e.lastUsedMillis = nowMillis;
        return new Claim.Ready();
    }

    /** The claimed unpacking is on disk; the entry stays pinned for the unpacker. */
    synchronized void published(String digest, long bytes, Instant now) {
        Entry e = entries.get(digest);
        e.bytes = bytes;
        e.ready = true;
        e.lastUsedMillis = now.toEpochMilli();
        e.unreferencedSince = users.containsKey(digest) ? null : now;
        e.unpacked.complete(null);
    }

    synchronized void failed(String digest, Throwable cause) {
        Entry e = entries.remove(digest);
        if (e != null) {
            e.unpacked.completeExceptionally(cause);
        }
    }

    synchronized void unpin(String digest, long nowMillis) {
        Entry e = entries.get(digest);
        if (e != null && e.pins > 0) {
            e.pins--;
            e.lastUsedMillis = nowMillis;
        }
    }

    /** An entry left on disk by an earlier run: unreferenced since {@code now}, the start. */
    synchronized void found(String digest, long bytes, Instant now) {
        Entry e = new Entry(digest);
        e.bytes = bytes;
        e.ready = true;
        e.lastUsedMillis = now.toEpochMilli();
        e.unreferencedSince = users.containsKey(digest) ? null : now;
        e.unpacked.complete(null);
        entries.put(digest, e);
    }

    /** A version this node was given uses {@code digest}; called on every call, so the common case takes no lock. */
    void use(User version, String digest, long nowMillis) {
        if (!digest.equals(versions.get(version))) {
            register(version, digest);
        }
        Entry e = entries.get(digest);
        if (e != null) {
            e.lastUsedMillis = nowMillis;
        }
    }

    private synchronized void register(User version, String digest) {
        if (retiredFunctions.contains(version.functionId()) || retiredVersions.contains(version)) {
            return;
        }
        String before = versions.put(version, digest);
        if (digest.equals(before)) {
            return;
        }
        users.merge(digest, 1, Integer::sum);
        Entry e = entries.get(digest);
        if (e != null) {
            e.unreferencedSince = null;
        }
        if (before != null) {
            release(before, null);
        }
    }

    /** The function was deleted: every version's code starts its grace period, and no version registers again. */
    synchronized void retire(String functionId, Instant now) {
        retiredFunctions.add(functionId);
        for (var it = versions.entrySet().iterator(); it.hasNext(); ) {
            var v = it.next();
            if (v.getKey().functionId().equals(functionId)) {
                it.remove();
                release(v.getValue(), now);
            }
        }
    }

    /** The version is routed to again (an alias rolled back to it): its calls register its code once more. */
    synchronized void revive(String functionId, long version) {
        retiredVersions.remove(new User(functionId, version));
    }

    /** Exactly these versions are retired: their code starts its grace period, and they register no more. */
    synchronized void retireVersions(String functionId, Set<Long> retired, Instant now) {
        for (long version : retired) {
            User user = new User(functionId, version);
            retiredVersions.add(user);
            String digest = versions.remove(user);
            if (digest != null) {
                release(digest, now);
            }
        }
    }

    private void release(String digest, Instant now) {
        Integer left = users.merge(digest, -1, Integer::sum);
        if (left != null && left <= 0) {
            users.remove(digest);
            Entry e = entries.get(digest);
            if (e != null && e.ready) {
                e.unreferencedSince = now == null ? Instant.ofEpochMilli(e.lastUsedMillis) : now;
            }
        }
    }

    synchronized List<CodeCachePolicy.Entry> snapshot() {
        List<CodeCachePolicy.Entry> view = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            view.add(new CodeCachePolicy.Entry(e.digest, e.bytes, Instant.ofEpochMilli(e.lastUsedMillis),
                    e.ready ? e.unreferencedSince : null, !e.ready || e.pins > 0));
        }
        return view;
    }

    /**
     * Deletes what the policy chooses, deciding and taking each entry out of sight under this
     * monitor, so no claim can pin an entry between the choice and the rename. {@code moveAside}
     * renames an entry's folder away (its deletion comes later, outside the monitor); an entry it
     * cannot move stays.
     */
    synchronized List<CodeCachePolicy.Eviction> sweep(CodeCachePolicy policy, Instant now, Predicate<String> moveAside) {
        List<CodeCachePolicy.Eviction> done = new ArrayList<>();
        for (CodeCachePolicy.Eviction eviction : policy.evictions(snapshot(), now)) {
            if (moveAside.test(eviction.digest())) {
                entries.remove(eviction.digest());
                done.add(eviction);
            }
        }
        return done;
    }

    synchronized long bytes() {
        return entries.values().stream().mapToLong(e -> e.bytes).sum();
    }

    boolean holds(String digest) {
        Entry e = entries.get(digest);
        return e != null && e.ready;
    }
}
