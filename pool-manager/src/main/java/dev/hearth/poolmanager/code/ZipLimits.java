package dev.hearth.poolmanager.code;

/**
 * Bounds on what a code archive may unpack to, checked against the bytes actually inflated
 * (never the sizes an entry header claims), so a zip bomb stops at the limit.
 */
public record ZipLimits(int maxEntries, long maxUnpackedBytes) {

    /** Linux's NAME_MAX: no file system here takes a longer file or folder name. */
    public static final int MAX_SEGMENT_BYTES = 255;
    /**
     * The longest entry path, in UTF-8 bytes: with the code folder's own path in front it stays
     * well inside PATH_MAX (4096), so an archive that unpacks here unpacks in every container.
     */
    public static final int MAX_PATH_BYTES = 1024;
    /** The most folders an entry may sit in; deeper trees only cost a walk per level. */
    public static final int MAX_DEPTH = 128;

    /** Lambda's own bound on unzipped code is 250 MB. */
    public static final ZipLimits DEFAULT = new ZipLimits(10_000, 250L * 1024 * 1024);

    public ZipLimits {
        if (maxEntries < 1 || maxUnpackedBytes < 1) {
            throw new IllegalArgumentException("zip limits must be positive");
        }
    }
}
