package dev.hearth.runtime.java;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Owns giving the function its environment variables. A JVM cannot change its process
 * environment, so, as on Lambda, the map behind {@link System#getenv()} is changed in place
 * (the unmodifiable view's backing map, reached by reflection: needs
 * {@code --add-opens java.base/java.util=ALL-UNNAMED}). {@code System.getenv(name)}, the map
 * and child processes started with ProcessBuilder then all see the values.
 */
final class Environment {

    private Environment() {
    }

    /** Adds or replaces {@code variables}; throws IllegalStateException when the JVM forbids it. */
    static void apply(Map<String, String> variables) {
        if (variables.isEmpty()) {
            return;
        }
        Map<String, String> backing = backingMap();
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            try {
                backing.put(variable.getKey(), variable.getValue());
            } catch (IllegalArgumentException e) {
                // The JDK refuses names with '=' or NUL, as the OS would.
                Diagnostics.log("environment variable '" + variable.getKey() + "' skipped: " + e.getMessage());
            }
        }
    }

    /** The current values of {@code names}, null where a variable is unset: what {@link #restore} puts back. */
    static Map<String, String> valuesOf(Collection<String> names) {
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            values.put(name, System.getenv(name));
        }
        return values;
    }

    /** Puts back what {@link #valuesOf} saw: a variable that was unset is removed again. */
    static void restore(Map<String, String> values) {
        Map<String, String> backing = backingMap();
        values.forEach((name, value) -> {
            if (value == null) {
                backing.remove(name);
            } else {
                backing.put(name, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> backingMap() {
        Map<String, String> view = System.getenv();
        try {
            Field field = view.getClass().getDeclaredField("m");
            field.setAccessible(true);
            return (Map<String, String>) field.get(view);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot set environment variables (" + e + "); start the JVM with "
                    + "--add-opens java.base/java.util=ALL-UNNAMED", e);
        }
    }
}
