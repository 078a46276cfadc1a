package dev.hearth.poolmanager;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The language runtimes Hearth keeps warm pools for. */
public enum Language {
    PYTHON("python", true),
    NODE("node", true),
    /** The JVM sizes its heap from the memory limit once, at start. */
    JAVA("java", false);

    private final String id;
    private final boolean resizable;

    Language(String id, boolean resizable) {
        this.id = id;
        this.resizable = resizable;
    }

    /**
     * Whether a running agent follows a change of its container's memory limit. When it does not,
     * a function asking for other memory than the pool's gets a container started at its size.
     */
    public boolean resizable() {
        return resizable;
    }

    /** The name used in the REST API, configuration and container labels. */
    public String id() {
        return id;
    }

    public static Optional<Language> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.id.equals(wanted)).findFirst();
    }
}
