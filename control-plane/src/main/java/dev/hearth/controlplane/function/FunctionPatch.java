package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import java.util.Map;

/**
 * The body of {@code PATCH /v1/functions/{name}}: settings that change without a new version and
 * apply to the next call. {@code concurrency} 0 removes the limit; {@code minWarm} changes how many
 * containers are kept ready; {@code labels} replace the function's labels whole ({@code {}} removes them).
 */
public record FunctionPatch(Integer concurrency, Integer timeoutMs, Integer minWarm, Map<String, String> labels) {

    /** The patch with its labels checked and sorted ({@link Labels#check}). */
    FunctionPatch validate(SettingRanges ranges) {
        if (concurrency == null && timeoutMs == null && minWarm == null && labels == null) {
            throw ApiException.badRequest("nothing to change: give concurrency, timeoutMs, minWarm and/or labels");
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
        return new FunctionPatch(concurrency, timeoutMs, minWarm, Labels.check(labels));
    }
}
