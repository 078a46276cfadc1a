package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import java.time.Instant;

/**
 * A container at rest, with the data of its state. A container running an invocation is in no
 * collection at all: the calling thread holds it, and puts it back as {@link Warm} or removes it.
 */
sealed interface Resting {

    ContainerHandle container();

    /** Generic, agent listening, no function loaded; waits in its language's pool. */
    record Prewarmed(ContainerHandle container, Instant readySince) implements Resting {}

    /** Specialized for one function version and idle since {@code lastUsed}. */
    record Warm(ContainerHandle container, VersionKey function, Instant lastUsed) implements Resting {}
}
