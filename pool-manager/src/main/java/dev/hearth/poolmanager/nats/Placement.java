package dev.hearth.poolmanager.nats;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.PoolStats;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a control plane sends each call. Nodes live in a Caffeine cache written by their
 * announcements and expiring when they stop (a node silent for {@code deadAfter} is gone). A call
 * goes to a node holding an idle container of its function version (warm affinity), else to the
 * node with the fewest calls running, ties taken in turn. A version deployed here is prepared on
 * one node ({@link #prepareOn}: its code fetched there, a pre-started container held there for its
 * first call), and that first call goes to the same node while it has room.
 *
 * <p>Idle counts are the node's last announcement, corrected locally: a call placed on a node
 * takes one, a reply gives one back. An announcement older than a reply already seen from the same
 * node (by its {@code served} count) refreshes the node's liveness but not those counts.
 *
 * <p>This class is the only writer of what it knows of a node; everyone else asks it.
 */
final class Placement {

    /** What this control plane knows of one node; only {@link Placement} changes it. */
    static final class NodeView {
        final String id;
        private volatile int maxContainers;
        private volatile int busy;
        private volatile boolean ready;
        private volatile Map<String, Integer> prewarmed = Map.of();
        private volatile Map<String, Integer> starting = Map.of();
        private volatile Set<VersionKey> kept = Set.of();
        private final ConcurrentHashMap<VersionKey, AtomicInteger> idle = new ConcurrentHashMap<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicLong lastReply = new AtomicLong(-1);

        NodeView(String id) {
            this.id = id;
        }

        int idle(VersionKey key) {
            AtomicInteger n = idle.get(key);
            return n == null ? 0 : n.get();
        }

        int load() {
            return busy + inFlight.get();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Placement.class);

    /**
     * How long a version's first call goes where the version was prepared: longer than a node
     * expects that call (its {@code HEARTH_POOL_WINDOW_MS}, 20 s by default); its code stays
     * there longer still.
     */
    static final Duration FIRST_CALL_AFFINITY = Duration.ofMinutes(1);

    private final Cache<String, NodeView> nodes;
    /** The node each version deployed here and not called yet was prepared on. */
    private final Cache<VersionKey, String> preparedOn;
    private final AtomicInteger turn = new AtomicInteger();

    Placement(Duration deadAfter, Ticker ticker) {
        this.nodes = Caffeine.newBuilder().expireAfterWrite(deadAfter).ticker(ticker)
                .removalListener((String id, NodeView view, RemovalCause cause) -> {
                    if (cause == RemovalCause.EXPIRED) {
                        log.warn("pool-manager node {} has not announced itself for {} ms: taken for dead", id, deadAfter.toMillis());
                    }
                })
                .build();
        this.preparedOn = Caffeine.newBuilder().expireAfterWrite(FIRST_CALL_AFFINITY).ticker(ticker).maximumSize(10_000).build();
    }

    /** Takes in a node's announcement; returns true when the node was not known (new, or back). */
    boolean announced(Wire.Announcement a) {
        if (a.leaving()) {
            nodes.invalidate(a.node());
            return false;
        }
        boolean[] fresh = {false};
        NodeView view = nodes.asMap().compute(a.node(), (id, existing) -> {
            if (existing == null) {
                fresh[0] = true;
                return new NodeView(id);
            }
            return existing;
        });
        view.maxContainers = a.maxContainers();
        view.busy = a.busy();
        view.ready = a.ready();
        view.prewarmed = a.prewarmed() == null ? Map.of() : Map.copyOf(a.prewarmed());
        view.starting = a.starting() == null ? Map.of() : Map.copyOf(a.starting());
        view.kept = a.keptVersions();
        if (a.served() >= view.lastReply.get()) {
            Map<VersionKey, Integer> idle = a.idleByVersion();
            view.idle.keySet().retainAll(idle.keySet());
            idle.forEach((key, n) -> view.idle.computeIfAbsent(key, k -> new AtomicInteger()).set(n));
        }
        return fresh[0];
    }

    /** A node's counts read once: calls on other threads change them while a choice is made. */
    private record Candidate(NodeView node, int idle, int load) {}

    /** Chooses a node for a call of {@code key}, leaving out {@code excluded}; null when none is known. */
    NodeView choose(VersionKey key, Collection<String> excluded) {
        List<Candidate> candidates = nodes.asMap().values().stream().filter(n -> !excluded.contains(n.id))
                .map(n -> new Candidate(n, n.idle(key), n.load())).toList();
        if (candidates.isEmpty()) {
            return null;
        }
        Candidate warm = candidates.stream().filter(c -> c.idle() > 0)
                .max(Comparator.comparingInt(Candidate::idle).thenComparingInt(c -> -c.load())).orElse(null);
        if (warm != null) {
            return warm.node();
        }
        String prepared = preparedOn.getIfPresent(key);
        if (prepared != null) {
            for (Candidate c : candidates) {
                if (c.node().id.equals(prepared) && c.load() < c.node().maxContainers) {
                    return c.node();
                }
            }
        }
        // No node is known to hold one idle: the least loaded with room, ties in turn.
        List<Candidate> withRoom = candidates.stream().filter(c -> c.load() < c.node().maxContainers).toList();
        List<Candidate> pool = withRoom.isEmpty() ? candidates : withRoom;
        int least = pool.stream().mapToInt(Candidate::load).min().orElseThrow();
        List<NodeView> lightest = pool.stream().filter(c -> c.load() == least).map(Candidate::node)
                .sorted(Comparator.comparing(n -> n.id)).toList();
        return lightest.get(Math.floorMod(turn.getAndIncrement(), lightest.size()));
    }

    /**
     * The node to prepare a version just deployed on (the one its first call would be placed on
     * now), remembered so that the first call goes there; null when no node is known.
     */
    NodeView prepareOn(VersionKey key) {
        NodeView node = choose(key, Set.of());
        if (node != null) {
            preparedOn.put(key, node.id);
        }
        return node;
    }

    /** A call of {@code key} was sent to the node: one idle container there is taken, and the version's first call has come. */
    void placed(NodeView node, VersionKey key) {
        preparedOn.invalidate(key);
        node.inFlight.incrementAndGet();
        AtomicInteger idle = node.idle.get(key);
        if (idle != null) {
            idle.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    /** The call placed on the node has ended, answered or not. */
    void released(NodeView node) {
        node.inFlight.decrementAndGet();
    }

    /** A node answered a call; when its container went back to idle, that node holds one of {@code key} again. */
    void answered(String node, VersionKey key, long served, boolean idleAgain) {
        NodeView view = nodes.getIfPresent(node);
        if (view == null) {
            return;
        }
        view.lastReply.accumulateAndGet(served, Math::max);
        if (idleAgain) {
            view.idle.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /**
     * When no live node keeps {@code key} ready, chooses the node that should: it counts as keeping
     * the version at once, so the next round does not prepare it twice before the node announces.
     *
     * @return the node to send the preparation to; null when a live node keeps it already, or none is known
     */
    String assignKept(VersionKey key) {
        if (live().stream().anyMatch(n -> n.kept.contains(key))) {
            return null;
        }
        NodeView node = choose(key, Set.of());
        if (node == null) {
            return null;
        }
        Set<VersionKey> kept = new HashSet<>(node.kept);
        kept.add(key);
        node.kept = Set.copyOf(kept);
        return node.id;
    }

    boolean alive(String node) {
        return nodes.getIfPresent(node) != null;
    }

    void forget(String node) {
        nodes.invalidate(node);
    }

    /** True once some live node has filled its pools. */
    boolean anyReady() {
        return live().stream().anyMatch(n -> n.ready);
    }

    /** Ids of the live nodes. */
    Set<String> liveIds() {
        Set<String> ids = new HashSet<>();
        live().forEach(n -> ids.add(n.id));
        return ids;
    }

    /** The live nodes' containers added up. */
    PoolStats totals() {
        int busy = 0;
        int max = 0;
        Map<VersionKey, Integer> idle = new HashMap<>();
        Set<VersionKey> keptAnywhere = new HashSet<>();
        Map<String, Integer> prewarmed = new HashMap<>();
        Map<String, Integer> starting = new HashMap<>();
        for (NodeView node : live()) {
            node.prewarmed.forEach((language, n) -> prewarmed.merge(language, n, Integer::sum));
            node.starting.forEach((language, n) -> starting.merge(language, n, Integer::sum));
            busy += node.busy;
            max += node.maxContainers;
            node.idle.forEach((key, n) -> {
                if (n.get() > 0) {
                    idle.merge(key, n.get(), Integer::sum);
                }
            });
            keptAnywhere.addAll(node.kept);
        }
        return new PoolStats(prewarmed, starting, busy, idle, keptAnywhere, max);
    }

    private Collection<NodeView> live() {
        nodes.cleanUp();
        return nodes.asMap().values();
    }
}
