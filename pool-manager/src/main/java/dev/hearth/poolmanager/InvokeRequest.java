package dev.hearth.poolmanager;

import java.util.Objects;

/**
 * One invocation to run.
 *
 * @param event the event as JSON bytes; the control plane has already made sure it is JSON
 */
public record InvokeRequest(FunctionSpec function, String invocationId, byte[] event) {
    public InvokeRequest {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(invocationId, "invocationId");
        Objects.requireNonNull(event, "event");
    }
}
