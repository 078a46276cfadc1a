package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The caller's {@code X-Amz-Client-Context} as the handler's {@link ClientContext}: the control
 * plane checked that the header is base64 of a JSON object and passes it on for synchronous
 * calls; fields are read as Lambda's Java runtime reads them ({@code client} with
 * {@code installation_id}, {@code app_title} …, {@code custom} and {@code env} string maps).
 */
final class CallerContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CallerContext() {}

    /** The client context the header holds, or null when there is none or it cannot be read. */
    static ClientContext of(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(Base64.getDecoder().decode(header));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode client = root.path("client");
        Client app = client.isObject() ? new App(text(client, "installation_id"), text(client, "app_title"),
                text(client, "app_version_name"), text(client, "app_version_code"), text(client, "app_package_name")) : null;
        return new Caller(app, strings(root.path("custom")), strings(root.path("env")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
    }

    private static Map<String, String> strings(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), text(node, e.getKey())));
        return Collections.unmodifiableMap(map);
    }

    private record Caller(Client getClient, Map<String, String> getCustom, Map<String, String> getEnvironment)
            implements ClientContext {}

    private record App(String getInstallationId, String getAppTitle, String getAppVersionName, String getAppVersionCode,
                       String getAppPackageName) implements Client {}
}
