package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;

/**
 * The body of {@code PATCH /v1/functions/{name}}: settings that change without a new version and
 * apply to the next call. {@code concurrency} 0 removes the limit; {@code minWarm} changes how many
 * containers are kept ready.
 */
public record FunctionPatch(Integer concurrency, Integer timeoutMs, Integer minWarm) {

    void validate(int maxTimeoutMs) {
        if (concurrency == null && timeoutMs == null && minWarm == null) {
            throw ApiException.badRequest("nothing to change: give concurrency, timeoutMs and/or minWarm");
        }
        if (minWarm != null && (minWarm < 0 || minWarm > FunctionValidator.MAX_MIN_WARM)) {
            throw ApiException.badRequest("minWarm must be between 0 and " + FunctionValidator.MAX_MIN_WARM + ", got " + minWarm);
        }
        if (concurrency != null && (concurrency < 0 || concurrency > 1000)) {
            throw ApiException.badRequest("concurrency must be between 0 (no limit) and 1000, got " + concurrency);
        }
        if (timeoutMs != null && (timeoutMs < 100 || timeoutMs > maxTimeoutMs)) {
            throw ApiException.badRequest("timeoutMs must be between 100 and " + maxTimeoutMs + ", got " + timeoutMs);
        }
    }
}
