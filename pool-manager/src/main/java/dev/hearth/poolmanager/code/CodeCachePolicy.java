package dev.hearth.poolmanager.code;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which unpacked code a node deletes, as pure functions of sizes and times, so the decisions
 * are tested without disks or sleeping.
 *
 * <p>Failure policy: an entry being unpacked or linked into a container (pinned) is never
 * chosen, whatever its age or size; everything else is only a cache of what the store holds,
 * so deleting too much costs a fetch, never a failed call.
 */
final class CodeCachePolicy {

    static final Duration MIN_SWEEP_DELAY = Duration.ofMillis(250);
    static final Duration MAX_SWEEP_DELAY = Duration.ofSeconds(30);

    /**
     * One unpacked digest as the sweep sees it.
     *
     * @param unreferencedSince when the last function version using it was retired (or the node
     *                          started, for entries found on disk); null while some version uses it
     * @param pinned            being unpacked or linked into a container right now
     */
    record Entry(String digest, long bytes, Instant lastUsed, Instant unreferencedSince, boolean pinned) {
        Entry {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(lastUsed, "lastUsed");
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative");
            }
        }

        boolean referenced() {
            return unreferencedSince == null;
        }
    }

    enum Cause {
        /** No function version on this node has used it for the whole grace period. */
        UNREFERENCED,
        /** The node's code is over its byte budget and this was the least recently used. */
        OVER_BUDGET
    }

    record Eviction(String digest, Cause cause) {}

    private final Duration grace;
    private final long maxBytes;

    CodeCachePolicy(CodeCacheSettings settings) {
        this.grace = settings.grace();
        this.maxBytes = settings.maxBytes();
    }

    boolean expired(Entry entry, Instant now) {
        return !entry.referenced() && !entry.unreferencedSince().plus(grace).isAfter(now);
    }

    /** What to delete now: unreferenced entries past their grace, then the least recently used until within budget. */
    List<Eviction> evictions(Collection<Entry> entries, Instant now) {
        List<Eviction> chosen = new ArrayList<>();
        Set<String> gone = new HashSet<>();
        long kept = 0;
        for (Entry e : entries) {
            if (!e.pinned() && expired(e, now)) {
                chosen.add(new Eviction(e.digest(), Cause.UNREFERENCED));
                gone.add(e.digest());
            } else {
                kept += e.bytes();
            }
        }
        if (kept <= maxBytes) {
            return chosen;
        }
        List<Entry> oldestFirst = entries.stream()
                .filter(e -> !e.pinned() && !gone.contains(e.digest()))
                .sorted(Comparator.comparing(Entry::lastUsed).thenComparing(Entry::digest))
                .toList();
        for (Entry e : oldestFirst) {
            if (kept <= maxBytes) {
                break;
            }
            chosen.add(new Eviction(e.digest(), Cause.OVER_BUDGET));
            kept -= e.bytes();
        }
        return chosen;
    }

    /**
     * How long the sweep may sleep: until the next unreferenced entry's grace ends, soon while
     * pinned entries keep the node over budget, within [{@link #MIN_SWEEP_DELAY}, {@link #MAX_SWEEP_DELAY}].
     */
    Duration nextSweep(Collection<Entry> entries, Instant now) {
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        if (total > maxBytes) {
            return MIN_SWEEP_DELAY;
        }
        Duration next = entries.stream()
                .filter(e -> !e.referenced())
                .map(e -> Duration.between(now, e.unreferencedSince().plus(grace)))
                .min(Comparator.naturalOrder())
                .orElse(MAX_SWEEP_DELAY);
        if (next.compareTo(MIN_SWEEP_DELAY) < 0) {
            return MIN_SWEEP_DELAY;
        }
        return next.compareTo(MAX_SWEEP_DELAY) > 0 ? MAX_SWEEP_DELAY : next;
    }
}
