package dev.hearth.controlplane;

import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of environment variables that name the variable when a value is malformed. A
 * blank value reads as unset, except through {@link #raw}.
 */
record EnvVars(Map<String, String> env) {

    String text(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The value as set, blank included, for a variable where set but empty means something. */
    String raw(String name, String fallback) {
        return env.getOrDefault(name, fallback);
    }

    /** {@code true} or {@code false}, nothing else: a typo must not silently turn a safeguard off. */
    boolean bool(String name, boolean fallback) {
        String value = text(name, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
        };
    }

    int integer(String name, int fallback) {
        String value = text(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }
}
