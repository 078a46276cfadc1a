package dev.hearth.poolmanager;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The language runtimes Hearth keeps warm pools for. */
public enum Language {
    PYTHON("python");

    private final String id;

    Language(String id) {
        this.id = id;
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
