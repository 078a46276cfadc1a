package dev.hearth.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What differs between a function as the spec wants it and as the server shows it, in the
 * plan's words ({@code code changed}, {@code memoryMb 128 → 256}). Split as the API splits it:
 * what belongs to a version (code, runtime, handler, memory, timeout, env, network, description)
 * needs a new version; what belongs to the function ({@code concurrency}, {@code minWarm},
 * {@code labels}) changes in place. Code is compared by digest, settings by value; environment
 * values are never shown (they may be secrets), only which variables changed.
 */
final class FunctionDiff {

    private FunctionDiff() {}

    /** What needs a new version; empty when the serving version is what the spec says. */
    static List<String> ofVersion(Desired desired, JsonNode existing) {
        List<String> reasons = new ArrayList<>();
        String status = existing.path("status").asText();
        if (!status.equals("ready")) {
            reasons.add("its version " + existing.path("version").asLong() + " is " + status);
        }
        boolean image = existing.hasNonNull("image");
        if (desired.code() instanceof Desired.Source source) {
            if (image) {
                reasons.add("image " + existing.path("image").asText() + " → code (" + source.runtime() + ")");
            } else {
                if (!source.runtime().equals(existing.path("runtime").asText()) && !source.runtime().equals(existing.path("lambdaRuntime").asText())) {
                    reasons.add("runtime " + existing.path("runtime").asText() + " → " + source.runtime());
                }
                compare(reasons, "handler", existing.path("handler").asText(null), source.handler());
                if (!source.sha256().equals(existing.path("sourceSha256").asText())) {
                    reasons.add("code changed");
                }
            }
        } else {
            Desired.Image wanted = (Desired.Image) desired.code();
            if (!image) {
                reasons.add("code → image " + wanted.image());
            } else {
                compare(reasons, "image", existing.path("image").asText(), wanted.image());
                compare(reasons, "contract", existing.path("contract").asText(), wanted.contract());
            }
        }
        compare(reasons, "memoryMb", existing.path("memoryMb").asText(), Integer.toString(desired.memoryMb()));
        compare(reasons, "timeoutMs", existing.path("timeoutMs").asText(), Integer.toString(desired.timeoutMs()));
        compare(reasons, "network", existing.path("network").asText("none"), desired.network());
        String env = mapChange(strings(existing.path("env")), desired.spec().env(), false);
        if (env != null) {
            reasons.add("env " + env);
        }
        String description = existing.path("description").asText(null);
        if (!Objects.equals(description, desired.description())) {
            reasons.add(desired.description() == null ? "description removed" : "description changed");
        }
        return reasons;
    }

    /** What belongs to the function and differs: patched in place, with no new version. */
    static List<String> ofFunction(Desired desired, JsonNode existing, String specName) {
        List<String> reasons = new ArrayList<>();
        compare(reasons, "concurrency", limit(existing.path("concurrency").asInt(0)), limit(desired.concurrency()));
        compare(reasons, "minWarm", existing.path("minWarm").asText("0"), Integer.toString(desired.minWarm()));
        String labels = mapChange(strings(existing.path("labels")), desired.labels(specName), true);
        if (labels != null) {
            reasons.add("labels " + labels);
        }
        return reasons;
    }

    private static String limit(int concurrency) {
        return concurrency == 0 ? "none" : Integer.toString(concurrency);
    }

    private static void compare(List<String> reasons, String field, String was, String wanted) {
        if (!Objects.equals(was, wanted)) {
            reasons.add(field + " " + (was == null ? "none" : was) + " → " + wanted);
        }
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /**
     * The keys added ({@code +K}), removed ({@code -K}) and changed ({@code ~K}); values shown
     * ({@code +team=web}) only when {@code showValues}. Null when the two are equal.
     */
    static String mapChange(Map<String, String> was, Map<String, String> wanted, boolean showValues) {
        if (was.equals(wanted)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(wanted.keySet());
        for (String key : keys) {
            String before = was.get(key);
            String after = wanted.get(key);
            if (before == null) {
                parts.add("+" + key + (showValues ? "=" + after : ""));
            } else if (after == null) {
                parts.add("-" + key);
            } else if (!before.equals(after)) {
                parts.add(showValues ? key + " " + before + " → " + after : "~" + key);
            }
        }
        return String.join(" ", parts);
    }
}
