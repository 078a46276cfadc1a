package dev.hearth.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a request to Hearth that commands build: query strings, path segments, JSON objects. */
public final class Requests {

    private Requests() {}

    /** Encodes query parameters, skipping null values. */
    public static String query(String path, Map<String, ?> params) {
        StringBuilder out = new StringBuilder(path);
        char separator = path.indexOf('?') < 0 ? '?' : '&';
        for (var entry : params.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            out.append(separator).append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(String.valueOf(entry.getValue()), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    /** One path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON object from alternating keys and values, null values left out. */
    public static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}
