package dev.hearth.poolmanager;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the pool manager needs to specialize a container for one function version.
 *
 * @param id         the function's stable identifier (a re-created function gets a new one)
 * @param codeDigest SHA-256 of the code archive, the key under which code is fetched and cached
 * @param egress     the function may reach the network; its containers are started for it, not pooled
 */
public record FunctionSpec(
        String id,
        String name,
        long version,
        Language language,
        String handler,
        String codeDigest,
        int memoryMb,
        int timeoutMs,
        Map<String, String> env,
        boolean egress) {

    public FunctionSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(codeDigest, "codeDigest");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
        if (memoryMb < 1 || timeoutMs < 1) {
            throw new IllegalArgumentException("memoryMb and timeoutMs must be positive");
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
