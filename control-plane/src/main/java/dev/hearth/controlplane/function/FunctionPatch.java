package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;

/**
 * The body of {@code PATCH /v1/functions/{name}}: settings that change without a new version and
 * apply to the next call. {@code concurrency} 0 removes the limit.
 */
public record FunctionPatch(Integer concurrency, Integer timeoutMs) {

    void validate(int maxTimeoutMs) {
        if (concurrency == null && timeoutMs == null) {
            throw ApiException.badRequest("nothing to change: give concurrency and/or timeoutMs");
        }
        if (concurrency != null && (concurrency < 0 || concurrency > 1000)) {
            throw ApiException.badRequest("concurrency must be between 0 (no limit) and 1000, got " + concurrency);
        }
        if (timeoutMs != null && (timeoutMs < 100 || timeoutMs > maxTimeoutMs)) {
            throw ApiException.badRequest("timeoutMs must be between 100 and " + maxTimeoutMs + ", got " + timeoutMs);
        }
    }
}
