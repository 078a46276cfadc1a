package dev.hearth.poolmanager.code;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a node keeps unpacked code.
 *
 * @param grace    an entry no function version on this node uses is deleted once unused this long
 * @param maxBytes unpacked bytes the node keeps at most; past it the least recently used entries go, used or not
 */
public record CodeCacheSettings(Duration grace, long maxBytes) {

    public static final CodeCacheSettings DEFAULT = new CodeCacheSettings(Duration.ofMinutes(10), 2048L * 1024 * 1024);

    public CodeCacheSettings {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("the code grace period must be positive");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the code cache budget must be positive");
        }
    }
}
