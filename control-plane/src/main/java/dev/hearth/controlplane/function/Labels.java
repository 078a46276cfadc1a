package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A function's labels: short key-value marks its owner (or a tool acting for it, as {@code hearth
 * apply} with {@code hearth.dev/spec}) puts on it, to find what belongs together. They belong to
 * the function, not to a version, and change nothing about how it runs. Keys are lower-case
 * ({@code [a-z0-9][a-z0-9./-]{0,62}}, so {@code hearth.dev/spec} and {@code team} alike), values
 * at most {@link #MAX_VALUE} characters of printable text; at most {@link #MAX_LABELS} of them.
 */
final class Labels {

    static final int MAX_LABELS = 16;
    static final int MAX_VALUE = 256;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9./-]{0,62}");

    private Labels() {}

    /**
     * The labels sorted by key and checked, or null when none were given; refused with a 400
     * that names the label and the rule it breaks.
     */
    static Map<String, String> check(Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        if (labels.size() > MAX_LABELS) {
            throw ApiException.badRequest("labels: at most " + MAX_LABELS + " labels, got " + labels.size());
        }
        Map<String, String> checked = new TreeMap<>();
        for (var label : labels.entrySet()) {
            String key = label.getKey();
            if (!KEY.matcher(key).matches()) {
                throw ApiException.badRequest("label key '" + printable(key) + "' must be 1-63 lower-case letters, digits, '.', '/' "
                        + "or '-', starting with a letter or digit");
            }
            String value = label.getValue();
            if (value == null) {
                throw ApiException.badRequest("field 'labels." + key + "' must be a JSON string");
            }
            if (value.length() > MAX_VALUE) {
                throw ApiException.badRequest("label '" + key + "' must be at most " + MAX_VALUE + " characters, got " + value.length());
            }
            checkPrintable(key, value);
            checked.put(key, value);
        }
        return Collections.unmodifiableMap(checked);
    }

    /** Printable text only: no control or format characters, no line breaks, no lone UTF-16 surrogates. */
    private static void checkPrintable(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            int type = Character.getType(c);
            if (Character.isSurrogate(c) || type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                throw ApiException.badRequest("label '" + key + "' must be printable text: it holds character U+"
                        + String.format("%04X", (int) c) + " at " + i);
            }
        }
    }

    /** A refused key as it can be shown: its unprintable characters escaped, and no longer than 80 characters. */
    private static String printable(String key) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < key.length() && shown.length() < 80; i++) {
            char c = key.charAt(i);
            shown.append(Character.isISOControl(c) || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return key.length() > 80 ? shown + "…" : shown.toString();
    }
}
