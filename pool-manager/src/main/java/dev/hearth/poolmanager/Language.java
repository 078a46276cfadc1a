package dev.hearth.poolmanager;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The language runtimes Hearth keeps warm pools for. */
public enum Language {
    PYTHON("python", "python3.13", true),
    NODE("node", "nodejs20.x", true),
    /** The JVM sizes its heap from the memory limit once, at start. */
    JAVA("java", "java21", false);

    private final String id;
    private final String lambdaRuntime;
    private final boolean resizable;

    Language(String id, String lambdaRuntime, boolean resizable) {
        this.id = id;
        this.lambdaRuntime = lambdaRuntime;
        this.resizable = resizable;
    }

    /**
     * Lambda's identifier of the runtime the default image matches (its Python 3.13, Node 20,
     * Java 21): accepted as a function's runtime, and named in {@code AWS_EXECUTION_ENV}.
     */
    public String lambdaRuntime() {
        return lambdaRuntime;
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

    /** The language whose {@link #lambdaRuntime()} this is (exactly, as Lambda spells it). */
    public static Optional<Language> byLambdaRuntime(String id) {
        return Arrays.stream(values()).filter(l -> l.lambdaRuntime.equals(id)).findFirst();
    }
}
