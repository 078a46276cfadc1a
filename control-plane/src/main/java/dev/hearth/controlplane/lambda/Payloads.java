package dev.hearth.controlplane.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Json;
import dev.hearth.controlplane.invoke.Events;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The Invoke API's bodies and headers in Lambda's terms: the payload must be one JSON value
 * (empty means {@code {}}), a client context is base64 of a JSON object, and the log tail is the
 * last 4 KB of the call's log, base64-encoded.
 */
final class Payloads {

    static final int LOG_TAIL_BYTES = 4096;
    /** Lambda's limit on {@code X-Amz-Client-Context}, base64 included. */
    static final int MAX_CLIENT_CONTEXT = 3583;
    private static final byte[] EMPTY_EVENT = "{}".getBytes(StandardCharsets.UTF_8);

    private Payloads() {}

    /** The event to hand the handler, or {@code InvalidRequestContentException} for a body that is not JSON. */
    static byte[] event(byte[] body) {
        if (body.length == 0) {
            return EMPTY_EVENT;
        }
        if (!isPortableJson(body)) {
            throw new LambdaError(400, "InvalidRequestContentException",
                    "Could not parse request body into json: the payload must be one JSON value in UTF-8");
        }
        return body;
    }

    /**
     * {@code X-Amz-Client-Context} checked (base64 of a JSON object, within Lambda's limit) and
     * trimmed, as it goes to the function; null when absent.
     */
    static String clientContext(String header) {
        if (header == null) {
            return null;
        }
        if (header.length() > MAX_CLIENT_CONTEXT) {
            throw LambdaError.invalidParameter("Client context must be at most " + MAX_CLIENT_CONTEXT + " bytes (base64)");
        }
        byte[] json;
        try {
            json = Base64.getDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            throw LambdaError.invalidParameter("Client context must be a valid Base64-encoded JSON object.");
        }
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw LambdaError.invalidParameter("Client context must be a valid Base64-encoded JSON object.");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw LambdaError.invalidParameter("Client context must be a valid Base64-encoded JSON object.");
            }
        } catch (IOException e) {
            throw LambdaError.invalidParameter("Client context must be a valid Base64-encoded JSON object.");
        }
        return header.trim();
    }

    /** The last {@value #LOG_TAIL_BYTES} bytes of the log, starting at a whole UTF-8 character, in base64. */
    static String logTail(byte[] logs) {
        int from = Math.max(0, logs.length - LOG_TAIL_BYTES);
        while (from < logs.length && (logs[from] & 0xC0) == 0x80) {
            from++;
        }
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(logs, from, logs.length));
    }

    /** One JSON value in UTF-8 whose numbers every runtime reads (within a double's range), as /invoke's events. */
    private static boolean isPortableJson(byte[] body) {
        try {
            return Events.isUtf8(body) && Events.isPortableJson(body);
        } catch (ApiException e) {
            return false; // a number past a double's range: the payload is refused as invalid content
        }
    }
}
