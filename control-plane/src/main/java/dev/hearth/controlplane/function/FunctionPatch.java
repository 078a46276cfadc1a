package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;

/**
 * The body of {@code PATCH /v1/functions/{name}}: settings that change without a new version and
 * apply to the next call. {@code concurrency} 0 removes the limit; {@code minWarm} changes how many
 * containers are kept ready.
 */
public record FunctionPatch(Integer concurrency, Integer timeoutMs, Integer minWarm) {

    void validate(SettingRanges ranges) {
        if (concurrency == null && timeoutMs == null && minWarm == null) {
            throw ApiException.badRequest("nothing to change: give concurrency, timeoutMs and/or minWarm");
        }
        if (minWarm != null) {
            SettingRanges.MIN_WARM.check(minWarm);
        }
        if (concurrency != null) {
            SettingRanges.CONCURRENCY_CHANGE.check(concurrency);
        }
        if (timeoutMs != null) {
            ranges.timeoutMs().check(timeoutMs);
        }
    }
}
