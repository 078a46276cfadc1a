package dev.hearth.controlplane.function;

import java.time.Duration;
import java.util.Objects;

/**
 * How much code is kept, and for how long.
 *
 * @param codeGrace        an archive no function uses is swept from the store once untouched this long
 *                         (the nodes' unpacked code has the same grace, in {@link dev.hearth.poolmanager.PoolConfig#code()})
 * @param userMaxFunctions functions one user may have
 * @param userMaxCodeBytes code one user may store: uploads and build outputs of all versions kept
 * @param maxVersions      versions one function keeps; past it the oldest that nothing routes to are pruned
 */
public record StorageSettings(Duration codeGrace, int userMaxFunctions, long userMaxCodeBytes, int maxVersions) {
    public StorageSettings {
        Objects.requireNonNull(codeGrace, "codeGrace");
        if (codeGrace.isNegative() || codeGrace.isZero() || userMaxFunctions < 1 || userMaxCodeBytes < 1) {
            throw new IllegalArgumentException("HEARTH_CODE_GRACE_SECONDS, HEARTH_USER_MAX_FUNCTIONS and "
                    + "HEARTH_USER_MAX_CODE_MB must be positive");
        }
        if (maxVersions < 2) {
            throw new IllegalArgumentException("HEARTH_MAX_VERSIONS must be at least 2");
        }
    }
}
