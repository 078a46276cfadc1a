package dev.hearth.poolmanager;

import java.util.Map;
import java.util.Set;

/**
 * A snapshot of one node's containers.
 *
 * @param prewarmed     generic containers waiting, by language id
 * @param starting      generic containers being started, by language id (the pool refilling or growing)
 * @param busy          containers running an invocation now
 * @param idle          idle specialized containers by function version (only versions with some)
 * @param kept          versions this node keeps {@code minWarm} containers ready for
 * @param maxContainers most containers the node runs at once
 */
public record PoolStats(Map<String, Integer> prewarmed, Map<String, Integer> starting, int busy, Map<FunctionSpec.VersionKey, Integer> idle,
                        Set<FunctionSpec.VersionKey> kept, int maxContainers) {
    public PoolStats {
        prewarmed = Map.copyOf(prewarmed);
        starting = Map.copyOf(starting);
        idle = Map.copyOf(idle);
        kept = Set.copyOf(kept);
    }

    /** Specialized containers idle between calls, all versions together. */
    public int warm() {
        return idle.values().stream().mapToInt(Integer::intValue).sum();
    }
}
