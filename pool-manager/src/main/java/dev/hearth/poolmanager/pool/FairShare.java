package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the node's containers and memory are divided between users, as pure functions of what
 * each holds: no I/O, no time, no state. A user's share is their dominant fraction of the node
 * (the larger of containers held / the container limit and memory held / the memory budget).
 * The fair share is an equal part for every user with demand: those holding a container, and
 * those asking for one.
 *
 * <p>The rules, max-min fairness: room is taken only from the user furthest above the fair
 * share, never from one at or below it, and only when the taker ends no higher than the giver
 * (so a move never just swaps who is ahead). While a call waits for room, the room that comes
 * free goes to the waiting user with the smallest share; generic pre-started containers
 * ({@link #POOL}) belong to nobody and yield to every waiting call.
 */
final class FairShare {

    /** The owner of generic pre-started containers, which no user holds yet. */
    static final String POOL = "";
    private static final double EPSILON = 1e-9;

    /** What one owner holds: containers and the sum of their memory limits. */
    record Usage(int containers, long memoryMb) {
        static final Usage NONE = new Usage(0, 0);

        Usage plus(int moreContainers, long moreMb) {
            return new Usage(containers + moreContainers, memoryMb + moreMb);
        }
    }

    /** An idle warm container that could be evicted; {@code kept} when it is one of its version's provisioned ones. */
    record Idle(Warm warm, String owner, int memoryMb, boolean kept) {}

    /** A version's wish for {@code minWarm} provisioned containers of {@code memoryMb} each. */
    record Wanted(VersionKey key, String owner, int minWarm, int memoryMb) {}

    private final int maxContainers;
    private final long maxMemoryMb;
    private final double provisionedShare;

    FairShare(int maxContainers, long maxMemoryMb, double provisionedShare) {
        if (maxContainers < 1 || maxMemoryMb < 1 || provisionedShare < 0 || provisionedShare > 1) {
            throw new IllegalArgumentException("node budget out of range");
        }
        this.maxContainers = maxContainers;
        this.maxMemoryMb = maxMemoryMb;
        this.provisionedShare = provisionedShare;
    }

    double share(Usage usage) {
        return Math.max((double) usage.containers() / maxContainers, (double) usage.memoryMb() / maxMemoryMb);
    }

    /** An equal part for each user holding something or asking: 1 / their number. */
    double fairShare(Map<String, Usage> held, Collection<String> asking) {
        Set<String> users = new HashSet<>(asking);
        held.forEach((owner, usage) -> {
            if (usage.containers() > 0) {
                users.add(owner);
            }
        });
        users.remove(POOL);
        return users.isEmpty() ? 1.0 : 1.0 / users.size();
    }

    /** Whether moving one container ({@code giverMb}) from giver to taker ({@code takerMb}) leaves the taker no higher than the giver. */
    boolean fairer(Usage taker, int takerMb, Usage giver, int giverMb) {
        return share(taker.plus(1, takerMb)) <= share(giver.plus(-1, -giverMb)) + EPSILON;
    }

    /**
     * The idle container to evict so that {@code requester} gets {@code memoryMb}: from the user
     * furthest above the fair share (their unprovisioned ones first, least recently used first),
     * when the requester ends no higher than them; else one of the requester's own that is not
     * provisioned. Empty when room may not be taken from anyone.
     */
    Optional<Idle> victim(List<Idle> idle, Map<String, Usage> held, String requester, int memoryMb) {
        double fair = fairShare(held, List.of(requester));
        Usage taker = held.getOrDefault(requester, Usage.NONE);
        Comparator<Idle> order = Comparator.comparing(Idle::kept).thenComparing(i -> i.warm().lastUsed());
        Optional<Idle> fromOther = idle.stream()
                .filter(i -> !i.owner().equals(requester) && !i.owner().equals(POOL))
                .filter(i -> share(held.getOrDefault(i.owner(), Usage.NONE)) > fair + EPSILON)
                .filter(i -> fairer(taker, memoryMb, held.getOrDefault(i.owner(), Usage.NONE), i.memoryMb()))
                .min(Comparator.<Idle>comparingDouble(i -> -share(held.get(i.owner()))).thenComparing(order));
        if (fromOther.isPresent()) {
            return fromOther;
        }
        return idle.stream().filter(i -> i.owner().equals(requester) && !i.kept()).min(order);
    }

    /**
     * Whether {@code owner} may take free room while others wait for room ({@code waiting}: owner
     * to the memory asked): not while a waiting user holds a smaller share; the pool never.
     */
    boolean mayReserve(String owner, Map<String, Usage> held, Map<String, Integer> waiting) {
        if (waiting.isEmpty() || waiting.keySet().equals(Set.of(owner))) {
            return true;
        }
        if (owner.equals(POOL)) {
            return false;
        }
        double mine = share(held.getOrDefault(owner, Usage.NONE));
        return waiting.keySet().stream().filter(w -> !w.equals(owner))
                .noneMatch(w -> share(held.getOrDefault(w, Usage.NONE)) < mine - EPSILON);
    }

    /**
     * Whether a container of {@code owner} ({@code memoryMb}) that just finished a call should be
     * removed rather than kept, so that a waiting user gets its room: the owner is above the fair
     * share and some waiting user would end no higher than the owner.
     */
    boolean yields(String owner, int memoryMb, Map<String, Usage> held, Map<String, Integer> waiting) {
        if (waiting.isEmpty() || owner.equals(POOL)) {
            return false;
        }
        Usage giver = held.getOrDefault(owner, Usage.NONE);
        if (share(giver) <= fairShare(held, waiting.keySet()) + EPSILON) {
            return false;
        }
        return waiting.entrySet().stream().filter(w -> !w.getKey().equals(owner))
                .anyMatch(w -> fairer(held.getOrDefault(w.getKey(), Usage.NONE), w.getValue(), giver, memoryMb));
    }

    /**
     * How many provisioned containers each version may keep: all of them together within
     * {@code provisionedShare} of the node's containers and memory, divided between users by
     * progressive filling (the user with the smallest provisioned share gets the next one, each
     * user's versions in turn), so no user gets more than an equal part while others want more.
     */
    Map<VersionKey, Integer> provisioned(List<Wanted> wanted) {
        int containerBudget = (int) Math.floor(provisionedShare * maxContainers + EPSILON);
        long memoryBudget = (long) Math.floor(provisionedShare * maxMemoryMb + EPSILON);
        Map<String, ArrayDeque<Wanted>> byOwner = new TreeMap<>();
        wanted.stream().filter(w -> w.minWarm() > 0)
                .sorted(Comparator.comparing((Wanted w) -> w.key().functionId()).thenComparing(w -> w.key().version()))
                .forEach(w -> byOwner.computeIfAbsent(w.owner(), o -> new ArrayDeque<>()).add(w));
        Map<VersionKey, Integer> given = new HashMap<>();
        Map<String, Usage> provisioned = new HashMap<>();
        int containers = 0;
        long memory = 0;
        while (containers < containerBudget) {
            String next = byOwner.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                    .min(Comparator.comparingDouble((Map.Entry<String, ArrayDeque<Wanted>> e) ->
                            share(provisioned.getOrDefault(e.getKey(), Usage.NONE))).thenComparing(Map.Entry::getKey))
                    .map(Map.Entry::getKey).orElse(null);
            if (next == null) {
                break;
            }
            Wanted w = byOwner.get(next).pollFirst();
            if (memory + w.memoryMb() > memoryBudget) {
                continue; // this version no longer fits; smaller ones of others may
            }
            containers++;
            memory += w.memoryMb();
            provisioned.merge(next, new Usage(1, w.memoryMb()), (a, b) -> a.plus(b.containers(), b.memoryMb()));
            int now = given.merge(w.key(), 1, Integer::sum);
            if (now < w.minWarm()) {
                byOwner.get(next).addLast(w);
            }
        }
        return given;
    }
}
