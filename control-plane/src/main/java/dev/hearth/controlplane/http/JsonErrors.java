package dev.hearth.controlplane.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says why a JSON body was refused in the caller's terms: the field (as a JSON path) and the kind
 * of value it takes, or where the text stops being JSON. Never Jackson's own message, which names
 * Java types, Hearth's classes and Jackson's settings.
 */
final class JsonErrors {

    private JsonErrors() {}

    static String describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "JSON body is nested too deeply or holds a value too long";
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String parent = path(unknown, 1);
            return "unknown field '" + (parent.isEmpty() ? "" : parent + ".") + unknown.getPropertyName() + "'";
        }
        if (e instanceof MismatchedInputException && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
            return "malformed JSON: the body holds more than one JSON value" + location(e.getLocation());
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch, 0);
            String expected = expected(mismatch.getTargetType());
            return field.isEmpty()
                    ? "request body must be " + expected
                    : "field '" + field + "' must be " + expected;
        }
        if (e instanceof JsonMappingException mapping) {
            // e.g. a record's own check failing: the field may be known, Jackson's words are not shown.
            String field = path(mapping, 0);
            return field.isEmpty() ? "request body is not accepted here" : "field '" + field + "' has a value that is not accepted";
        }
        String where = location(e.getLocation());
        if (e instanceof JsonEOFException) {
            return "malformed JSON: the body ends before the JSON value does" + where;
        }
        String original = String.valueOf(e.getOriginalMessage());
        if (original.contains("UTF-8") || original.contains("UTF8") || original.contains("surrogate")) {
            return "malformed JSON: the body is not valid UTF-8" + where;
        }
        return "malformed JSON: unexpected text" + where;
    }

    private static String location(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The JSON path of the failing value, less {@code drop} trailing steps: {@code source.filename}, {@code env.KEY}, {@code [2]}. */
    private static String path(JsonMappingException e, int drop) {
        var steps = e.getPath();
        var out = new StringBuilder();
        for (int i = 0; i < steps.size() - drop; i++) {
            JsonMappingException.Reference step = steps.get(i);
            if (step.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                out.append('[').append(step.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number (a JSON number without a fraction)";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a JSON number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "a JSON string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        return "a value of another kind";
    }
}
