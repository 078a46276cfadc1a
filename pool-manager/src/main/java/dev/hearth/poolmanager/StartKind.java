package dev.hearth.poolmanager;

/** How the container that served an invocation came to be ready. */
public enum StartKind {
    /** No container was available: one was created and started for this call. */
    COLD,
    /** A pre-started generic container was specialized (code hot-loaded) for this call. */
    POOL,
    /** A container already specialized for this function version served the call. */
    WARM;

    /** The value of the {@code X-Hearth-Start} header. */
    public String header() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
