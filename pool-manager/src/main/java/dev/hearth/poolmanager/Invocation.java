package dev.hearth.poolmanager;

import java.util.Objects;

/**
 * A finished invocation.
 *
 * @param initMicros time spent making a container ready (creating and/or specializing it); 0 when warm
 * @param runMicros  time spent in the agent's {@code /run}, as seen by the pool manager
 * @param logs       the function's tagged log lines, as the agent sent them (UTF-8; empty when none)
 * @param node       the id of the pool-manager node that ran it
 */
public record Invocation(String invocationId, StartKind start, Outcome outcome, long initMicros, long runMicros, byte[] logs,
                         String node) {
    public Invocation {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(invocationId, "invocationId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(outcome, "outcome");
        logs = logs == null ? new byte[0] : logs;
    }
}
