package dev.hearth.poolmanager;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the pool manager needs to run one function version.
 *
 * @param id       the function's stable identifier (a re-created function gets a new one)
 * @param owner    the user the function belongs to: shares of the node are divided between owners
 * @param workload source code for a language runtime, or an image
 * @param egress   the function may reach the network; its containers are started for it, not pooled
 * @param minWarm  specialized containers kept ready even when idle (provisioned concurrency); 0 for none
 */
public record FunctionSpec(
        String id,
        String owner,
        String name,
        long version,
        Workload workload,
        int memoryMb,
        int timeoutMs,
        Map<String, String> env,
        boolean egress,
        int minWarm) {

    public FunctionSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workload, "workload");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
        if (memoryMb < 1 || timeoutMs < 1) {
            throw new IllegalArgumentException("memoryMb and timeoutMs must be positive");
        }
        if (minWarm < 0) {
            throw new IllegalArgumentException("minWarm must not be negative: " + minWarm);
        }
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** Warm instances are shared by exactly one function version. */
    public VersionKey key() {
        return new VersionKey(id, version);
    }

    /** Identifies one version of one function. */
    public record VersionKey(String functionId, long version) {
        public VersionKey {
            Objects.requireNonNull(functionId, "functionId");
        }
    }
}
