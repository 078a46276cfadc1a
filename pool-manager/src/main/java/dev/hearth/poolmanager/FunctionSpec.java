package dev.hearth.poolmanager;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the pool manager needs to run one function version: what it runs and how.
 *
 * @param id       the function's stable identifier (a re-created function gets a new one)
 * @param owner    the user the function belongs to: shares of the node are divided between owners
 * @param workload source code for a language runtime, or an image
 * @param settings memory, timeout, environment, egress and {@code minWarm}, as the owner set them
 */
public record FunctionSpec(String id, String owner, String name, long version, Workload workload, FunctionSettings settings) {

    public FunctionSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(settings, "settings");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
    }

    public int memoryMb() {
        return settings.memoryMb();
    }

    public int timeoutMs() {
        return settings.timeoutMs();
    }

    public Map<String, String> env() {
        return settings.env();
    }

    public boolean egress() {
        return settings.egress();
    }

    public int minWarm() {
        return settings.minWarm();
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
