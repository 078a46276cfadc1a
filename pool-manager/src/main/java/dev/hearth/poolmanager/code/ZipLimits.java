package dev.hearth.poolmanager.code;

/**
 * Bounds on what a code archive may unpack to, checked against the bytes actually inflated
 * (never the sizes an entry header claims), so a zip bomb stops at the limit.
 */
public record ZipLimits(int maxEntries, long maxUnpackedBytes) {

    /** Lambda's own bound on unzipped code is 250 MB. */
    public static final ZipLimits DEFAULT = new ZipLimits(10_000, 250L * 1024 * 1024);

    public ZipLimits {
        if (maxEntries < 1 || maxUnpackedBytes < 1) {
            throw new IllegalArgumentException("zip limits must be positive");
        }
    }
}
