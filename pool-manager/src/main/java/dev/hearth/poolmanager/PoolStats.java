package dev.hearth.poolmanager;

import java.util.Map;

/**
 * A snapshot of one node's containers.
 *
 * @param prewarmed generic containers waiting, by language id
 * @param warm      specialized containers idle between calls
 * @param busy      containers running an invocation now
 */
public record PoolStats(Map<String, Integer> prewarmed, int warm, int busy) {
    public PoolStats {
        prewarmed = Map.copyOf(prewarmed);
    }
}
