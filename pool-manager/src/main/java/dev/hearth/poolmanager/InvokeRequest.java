package dev.hearth.poolmanager;

import java.util.Objects;

/**
 * One invocation to run.
 *
 * @param event         the event as JSON bytes; the control plane has already made sure it is JSON
 * @param qualifier     the version number, {@code $LATEST} or alias the caller named, as named (the
 *                      function sees it in its context's invoked ARN); null for an unqualified call
 * @param clientContext the caller's {@code X-Amz-Client-Context}: base64 of a JSON object, already
 *                      checked by the control plane; null when the call gave none
 */
public record InvokeRequest(FunctionSpec function, String invocationId, byte[] event, String qualifier, String clientContext) {
    public InvokeRequest {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(invocationId, "invocationId");
        Objects.requireNonNull(event, "event");
    }

    /** An unqualified call without client context. */
    public InvokeRequest(FunctionSpec function, String invocationId, byte[] event) {
        this(function, invocationId, event, null, null);
    }
}
