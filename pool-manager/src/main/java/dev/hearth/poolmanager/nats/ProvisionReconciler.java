package dev.hearth.poolmanager.nats;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.support.Threads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every {@code minWarm} function version ready on some live node: a version no live node
 * keeps is prepared on the one {@link Placement} assigns, at once and on every round after, so a
 * lost node's provisioned containers come back elsewhere. What each node keeps is Placement's to
 * know; this class only remembers which versions should be kept.
 */
final class ProvisionReconciler implements AutoCloseable {

    /** Sends a function version's preparation to one node. */
    @FunctionalInterface
    interface Preparer {
        void prepare(String node, FunctionSpec function);
    }

    private static final Logger log = LoggerFactory.getLogger(ProvisionReconciler.class);

    private final Placement placement;
    private final Preparer preparer;
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(Threads.daemon("placement-reconciler"));
    /** Versions that keep containers ready, each as last prepared; several versions of one function may be kept at once. */
    private final Map<VersionKey, FunctionSpec> kept = new ConcurrentHashMap<>();

    ProvisionReconciler(Placement placement, Preparer preparer) {
        this.placement = placement;
        this.preparer = preparer;
    }

    /** Runs a round every {@code every} until closed. */
    void start(Duration every) {
        rounds.scheduleWithFixedDelay(this::reconcile, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The version keeps {@code minWarm} containers from now on, with these settings; other versions are untouched. */
    void keep(FunctionSpec function) {
        kept.put(function.key(), function);
        reconcileOne(function);
    }

    /** The version keeps none any more (it was retired, or its {@code minWarm} is 0). */
    void drop(VersionKey version) {
        kept.remove(version);
    }

    /** No version of the function keeps any (it was deleted). */
    void dropFunction(String functionId) {
        kept.keySet().removeIf(key -> key.functionId().equals(functionId));
    }

    /** One round: makes sure some live node keeps each version that should be kept. */
    void reconcile() {
        try {
            kept.values().forEach(this::reconcileOne);
        } catch (RuntimeException e) {
            log.warn("placement reconcile failed: {}", e.getMessage());
        }
    }

    private void reconcileOne(FunctionSpec function) {
        String node = placement.assignKept(function.key());
        if (node == null) {
            return; // kept somewhere already, or no node yet: the next round looks again
        }
        preparer.prepare(node, function);
        log.info("keeping {} v{} ({} warm) on node {}", function.name(), function.version(), function.minWarm(), node);
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }
}
