package dev.hearth.poolmanager.code;

/** A code archive that Hearth refuses: malformed, hostile or too large. */
public class ArchiveException extends Exception {

    private final boolean tooLarge;

    public ArchiveException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    /** True when the archive is refused for its size rather than its shape. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
