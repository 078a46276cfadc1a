package dev.hearth.poolmanager;

import java.util.Objects;

/**
 * A finished invocation.
 *
 * @param initMicros time spent making a container ready (creating and/or specializing it); 0 when warm
 * @param runMicros  time spent in the agent's {@code /run}, as seen by the pool manager
 */
public record Invocation(String invocationId, StartKind start, Outcome outcome, long initMicros, long runMicros) {
    public Invocation {
        Objects.requireNonNull(invocationId, "invocationId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(outcome, "outcome");
    }
}
