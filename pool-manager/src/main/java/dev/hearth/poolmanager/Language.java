package dev.hearth.poolmanager;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The language runtimes Hearth keeps warm pools for, one image each. */
public enum Language {
    PYTHON("python", "python3.13", Language.NO_JVM, true),
    NODE("node", "nodejs20.x", Language.NO_JVM, true),
    JAVA("java", "java21", 21, true),
    /** Hearth's id is Lambda's: there is no older Hearth name for it. Few functions ask for it, so none wait by default. */
    JAVA25("java25", "java25", 25, false);

    /** The {@link #javaRelease()} of a runtime without a JVM (qualified above: a constant may not be named before it is declared). */
    private static final int NO_JVM = 0;

    private final String id;
    private final String lambdaRuntime;
    private final int javaRelease;
    private final boolean prewarmedByDefault;

    Language(String id, String lambdaRuntime, int javaRelease, boolean prewarmedByDefault) {
        this.id = id;
        this.lambdaRuntime = lambdaRuntime;
        this.javaRelease = javaRelease;
        this.prewarmedByDefault = prewarmedByDefault;
    }

    /**
     * Lambda's identifier of the runtime the default image matches (its Python 3.13, Node 20,
     * Java 21, Java 25): accepted as a function's runtime, and named in {@code AWS_EXECUTION_ENV}.
     */
    public String lambdaRuntime() {
        return lambdaRuntime;
    }

    /** Whether code of this runtime runs on a JVM: Java sources and jars, one Java agent. */
    public boolean jvm() {
        return javaRelease != NO_JVM;
    }

    /** The Java feature release the image's JVM runs, which sources are compiled for; 0 for a runtime without a JVM. */
    public int javaRelease() {
        return javaRelease;
    }

    /**
     * Whether a running agent follows a change of its container's memory limit. When it does not,
     * a function asking for other memory than the pool's gets a container started at its size.
     * A JVM sizes its heap from the memory limit once, at start.
     */
    public boolean resizable() {
        return !jvm();
    }

    /**
     * Whether containers of it are pre-started when the operator says nothing
     * ({@code HEARTH_POOL_<ID>} unset); when not, its first calls start cold.
     */
    public boolean prewarmedByDefault() {
        return prewarmedByDefault;
    }

    /**
     * The builder's arguments for code of this runtime: the toolchain's name ({@code python},
     * {@code node}, {@code java}) and, for a JVM, the release javac compiles sources for.
     */
    public List<String> buildArguments() {
        return jvm() ? List.of("java", Integer.toString(javaRelease)) : List.of(id);
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
