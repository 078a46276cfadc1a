package dev.hearth.poolmanager;

import java.util.Map;

/**
 * How a function version runs, as its owner set it: what a definition gives (or leaves to the
 * defaults) and a {@code PATCH} changes in part. The control plane stores it with the function
 * and hands it to the nodes in the {@link FunctionSpec}, so a new setting is added here only.
 *
 * @param concurrency most parallel activations, or 0 for no limit beyond the node's (the control
 *                    plane enforces it; nodes carry it unread)
 * @param egress      the function may reach the network; its containers are started for it, not pooled
 * @param minWarm     containers kept specialized and ready even when idle (provisioned concurrency); 0 for none
 */
public record FunctionSettings(int memoryMb, int timeoutMs, int concurrency, Map<String, String> env, boolean egress, int minWarm) {

    public FunctionSettings {
        if (memoryMb < 1 || timeoutMs < 1) {
            throw new IllegalArgumentException("memoryMb and timeoutMs must be positive");
        }
        if (concurrency < 0 || minWarm < 0) {
            throw new IllegalArgumentException("concurrency and minWarm must not be negative");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
