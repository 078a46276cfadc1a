package dev.hearth.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Owns the validated /init request: which function this container serves and how. */
record FunctionConfig(String handler, String codeDir, String functionName, String functionVersion, int memoryMb,
                      long timeoutMs, Map<String, String> env) {

    static final long DEFAULT_TIMEOUT_MS = 3000;

    /** The /init body, or IllegalArgumentException saying what is wrong with it. */
    static FunctionConfig parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("init body must be a JSON object");
        }
        String handler = text(body, "handler");
        String codeDir = text(body, "codeDir");
        String name = text(body, "functionName");
        String version = text(body, "functionVersion");
        JsonNode memory = required(body, "memoryMb");
        if (!memory.canConvertToInt() || !memory.isIntegralNumber() || memory.intValue() <= 0) {
            throw new IllegalArgumentException("'memoryMb' must be a positive integer");
        }
        long timeout = DEFAULT_TIMEOUT_MS;
        JsonNode timeoutNode = body.get("timeoutMs");
        if (timeoutNode != null && !timeoutNode.isNull()) {
            if (!timeoutNode.isIntegralNumber() || !timeoutNode.canConvertToLong() || timeoutNode.longValue() <= 0) {
                throw new IllegalArgumentException("'timeoutMs' must be a positive integer");
            }
            timeout = timeoutNode.longValue();
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = body.get("env");
        if (envNode != null && !envNode.isNull()) {
            if (!envNode.isObject()) {
                throw new IllegalArgumentException("'env' must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> field : envNode.properties()) {
                JsonNode value = field.getValue();
                if (!value.isValueNode() || value.isNull()) {
                    throw new IllegalArgumentException("env value of '" + field.getKey() + "' must be a string");
                }
                env.put(field.getKey(), value.asText());
            }
        }
        return new FunctionConfig(handler, codeDir, name, version, memory.intValue(), timeout, Collections.unmodifiableMap(env));
    }

    private static JsonNode required(JsonNode body, String key) {
        JsonNode node = body.get(key);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return node;
    }

    private static String text(JsonNode body, String key) {
        JsonNode node = required(body, key);
        if (!node.isTextual() && !node.isNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a string");
        }
        String value = node.asText();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' must not be empty");
        }
        return value;
    }
}
