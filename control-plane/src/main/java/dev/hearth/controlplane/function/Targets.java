package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.PoolManager;
import java.util.Optional;
import java.util.Set;

/**
 * What the pool keeps for each function: every version it routes to (the serving one and each
 * alias's) is prepared on the nodes with the function's {@code minWarm}; versions nothing routes
 * to any more are drained when a new version takes over; a version an alias leaves keeps its
 * warm containers until idle eviction, so rolling back finds them warm.
 */
final class Targets {

    private final FunctionStore store;
    private final Quotas quotas;
    private final PoolManager pool;
    private final Versions versions;

    /** @param quotas whose owner lock serializes this with alias changes and version deletes */
    Targets(FunctionStore store, Quotas quotas, PoolManager pool, Versions versions) {
        this.store = store;
        this.quotas = quotas;
        this.pool = pool;
        this.versions = versions;
    }

    /**
     * A version has become the one that serves: get it and every alias target ready, drain the
     * versions nothing routes to any more, and prune the oldest past the count kept.
     */
    void serve(String functionId) {
        FunctionRecord found = store.findById(functionId).orElse(null);
        if (found == null) {
            return;
        }
        // Under the owner's lock and read afresh: an alias pointed meanwhile is seen, never pruned or drained.
        quotas.locked(found.owner(), () -> {
            FunctionRecord function = store.findById(functionId).orElse(null);
            if (function != null) {
                prepare(function);
                Set<Long> unrouted = versions.unrouted(function);
                if (!unrouted.isEmpty()) {
                    pool.retireVersions(functionId, unrouted);
                }
                versions.prune(function);
            }
            return null;
        });
    }

    /** Prepares every version the function routes to, each with the function's {@code minWarm}. */
    void prepare(FunctionRecord function) {
        for (long v : function.targets()) {
            ready(function, v).ifPresent(version -> pool.prepare(version.spec()));
        }
    }

    /**
     * The function's targets changed: new ones are prepared with its {@code minWarm}; ones it left
     * lose their kept containers, which stay as ordinary warm ones until idle eviction.
     */
    void retarget(FunctionRecord before, FunctionRecord after) {
        for (long v : after.targets()) {
            if (!before.targets().contains(v)) {
                ready(after, v).ifPresent(version -> pool.prepare(version.spec()));
            }
        }
        if (before.settings().minWarm() == 0) {
            return;
        }
        for (long v : before.targets()) {
            if (!after.targets().contains(v)) {
                ready(before, v).ifPresent(version -> pool.prepare(version.unkept().spec()));
            }
        }
    }

    private Optional<FunctionRecord> ready(FunctionRecord function, long v) {
        Optional<FunctionRecord> version = v == function.version() ? Optional.of(function)
                : store.versions().find(function.id(), v).map(found -> found.under(function));
        return version.filter(found -> found.status() == FunctionRecord.Status.READY);
    }
}
