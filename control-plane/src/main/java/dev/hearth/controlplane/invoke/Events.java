package dev.hearth.controlplane.invoke;

import dev.hearth.controlplane.http.Json;
import java.nio.charset.StandardCharsets;

/**
 * Turns an invoke request body into the event handed to the handler: a JSON body is passed
 * through byte for byte, anything else arrives as a JSON string, and an empty body as {@code {}}
 * (what Lambda gives a handler invoked without a payload).
 */
final class Events {

    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    private Events() {}

    static byte[] fromBody(byte[] body) {
        if (body.length == 0) {
            return EMPTY;
        }
        if (Json.isJson(body)) {
            return body;
        }
        return Json.write(new String(body, StandardCharsets.UTF_8));
    }
}
