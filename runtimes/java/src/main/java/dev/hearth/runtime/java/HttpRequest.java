package dev.hearth.runtime.java;

import java.util.Map;

/**
 * One parsed HTTP/1.x request. Header names are case-insensitive; {@code body} is empty when
 * {@code bodyTooLarge} (the body was over the limit and was skipped, not kept).
 */
record HttpRequest(String method, String path, String version, Map<String, String> headers, byte[] body,
                   boolean bodyTooLarge, boolean keepAlive) {

    String header(String name) {
        return headers.get(name);
    }

    boolean http10() {
        return "HTTP/1.0".equals(version);
    }
}
