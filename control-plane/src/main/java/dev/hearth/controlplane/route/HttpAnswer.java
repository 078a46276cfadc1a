package dev.hearth.controlplane.route;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what a function answered to an HTTP event into the HTTP response the client gets, by the
 * rules of Lambda function URLs (the API Gateway payload format 2.0 response,
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html, "Response payload format"):
 * a JSON object with {@code statusCode} gives its status, {@code headers}, {@code cookies} (one
 * {@code Set-Cookie} each), and {@code body} (base64-decoded when {@code isBase64Encoded});
 * anything else is a 200 {@code application/json} whose body is the result as it is. The 2.0
 * format has no {@code multiValueHeaders} (the API Gateway page above says so): that field, like
 * any other unknown one, is ignored. An answer HTTP cannot carry is a 502 that names the rule.
 */
public final class HttpAnswer {

    /** An HTTP response to send as it is; the server frames it (length or chunks) itself. */
    public record Response(int status, List<Map.Entry<String, String>> headers, List<String> setCookies, byte[] body) {
        public Response {
            headers = List.copyOf(headers);
            setCookies = List.copyOf(setCookies);
        }
    }

    private static final String JSON = "application/json";

    /** Framing and hop-by-hop headers (RFC 9110 7.6.1), never the function's to set; plus any {@code Proxy-*}. */
    private static final Set<String> DROPPED = Set.of(
            "connection", "transfer-encoding", "content-length", "keep-alive", "upgrade", "te", "trailer");

    private static final Set<String> FIELDS = Set.of("statusCode", "headers", "cookies", "body", "isBase64Encoded");

    /** Reads tokens without a depth or length bound: a result is already bounded by the invocation's limit. */
    private static final JsonFactory READER = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build();

    /** One field's value, read from inside the object: what follows it is the object's, not trailing tokens. */
    private static final ObjectReader FIELD =
            Json.MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private HttpAnswer() {}

    /** The response for a function's successful result (its JSON bytes). */
    public static Response fromResult(byte[] resultJson) {
        Map<String, JsonNode> fields;
        try (JsonParser parser = READER.createParser(resultJson)) {
            JsonToken first = parser.nextToken();
            fields = first == JsonToken.START_OBJECT ? topLevelFields(parser) : null;
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren();
            }
            if (first != null && parser.nextToken() != null) {
                return invalid("the result holds more than one JSON value");
            }
        } catch (IOException e) {
            return invalid("the result is not JSON");
        }
        if (fields == null || !fields.containsKey("statusCode")) {
            // "If your function returns valid JSON and doesn't return a statusCode": 200, JSON, the
            // result itself. A bare string stays a JSON string, quotes and all: the page's example
            // "Hello, world!" reaches the client with content-length 15.
            return new Response(200, List.of(Map.entry("Content-Type", JSON)), List.of(), resultJson);
        }
        try {
            return custom(fields);
        } catch (BadAnswer e) {
            return invalid(e.getMessage());
        }
    }

    /** The function failed (an error result, a crash): 502. */
    public static Response functionError() {
        return error(502, "function_error", "the function failed while handling the request");
    }

    /** The function did not answer within its timeout: 504. */
    public static Response timeout() {
        return error(504, "timeout", "the function did not answer in time");
    }

    /** The function is at its concurrency limit: 429. */
    public static Response throttled() {
        return error(429, "throttled", "the function is handling as many requests as it may; try again later");
    }

    /** The known fields of the top-level object, each read as a tree; every other value is skipped unread. */
    private static Map<String, JsonNode> topLevelFields(JsonParser parser) throws IOException {
        Map<String, JsonNode> fields = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (FIELDS.contains(name)) {
                fields.put(name, FIELD.readValue(parser));
            } else {
                parser.skipChildren();
            }
        }
        return fields;
    }

    private static Response custom(Map<String, JsonNode> fields) {
        JsonNode code = fields.get("statusCode");
        if (code == null || !code.isIntegralNumber() || !code.canConvertToInt() || code.intValue() < 100 || code.intValue() > 599) {
            throw new BadAnswer("statusCode must be an integer from 100 to 599");
        }
        if (code.intValue() < 200) {
            // Sent as the final response, a 1xx leaves the client waiting for another one (it takes
            // the next response on the connection for this request's); a 101 breaks the connection.
            throw new BadAnswer("statusCode " + code.intValue() + " is an interim status, not a response's: use 200 to 599");
        }
        List<Map.Entry<String, String>> headers = headers(fields.get("headers"));
        List<String> cookies = cookies(fields.get("cookies"));
        byte[] body = body(fields.get("body"), fields.get("isBase64Encoded"));
        if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
            // Lambda's function URLs say application/json when the function names no type.
            headers.add(Map.entry("Content-Type", JSON));
        }
        return new Response(code.intValue(), headers, cookies, body);
    }

    private static List<Map.Entry<String, String>> headers(JsonNode node) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (absent(node)) {
            return headers;
        }
        if (!node.isObject()) {
            throw new BadAnswer("headers must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> header : node.properties()) {
            String name = header.getKey();
            if (!header.getValue().isTextual()) {
                throw new BadAnswer("header '" + printable(name) + "' must be a string");
            }
            if (!isToken(name)) {
                throw new BadAnswer("header name '" + printable(name) + "' is not a valid HTTP header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (DROPPED.contains(lower) || lower.startsWith("proxy-")) {
                continue;
            }
            String value = header.getValue().textValue();
            if (!isFieldValue(value)) {
                throw new BadAnswer("header '" + name + "' holds a character HTTP cannot carry (CR, LF, another control, or past U+00FF)");
            }
            headers.add(Map.entry(name, value));
        }
        return headers;
    }

    private static List<String> cookies(JsonNode node) {
        List<String> cookies = new ArrayList<>();
        if (absent(node)) {
            return cookies;
        }
        if (!node.isArray()) {
            throw new BadAnswer("cookies must be an array of strings");
        }
        for (JsonNode cookie : node) {
            if (!cookie.isTextual()) {
                throw new BadAnswer("cookies must be an array of strings");
            }
            if (!isFieldValue(cookie.textValue())) {
                throw new BadAnswer("a cookie holds a character HTTP cannot carry (CR, LF, another control, or past U+00FF)");
            }
            cookies.add(cookie.textValue());
        }
        return cookies;
    }

    private static byte[] body(JsonNode body, JsonNode base64) {
        boolean encoded = false;
        if (!absent(base64)) {
            if (!base64.isBoolean()) {
                throw new BadAnswer("isBase64Encoded must be true or false");
            }
            encoded = base64.booleanValue();
        }
        if (absent(body)) {
            return new byte[0];
        }
        if (!body.isTextual()) {
            throw new BadAnswer("body must be a string");
        }
        if (!encoded) {
            return body.textValue().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body.textValue());
        } catch (IllegalArgumentException e) {
            throw new BadAnswer("body is not valid base64 though isBase64Encoded is true");
        }
    }

    /** Missing or JSON null: the field's default, as a handler that sets it to None or null means. */
    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    /** RFC 9110 token: the only characters a field name may hold. */
    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 field value: tab, visible ASCII, space and obs-text; no CR, LF, NUL or other controls. */
    static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** A name for a message: control characters shown as {@code ?}, never echoed raw, and kept short. */
    private static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static Response invalid(String rule) {
        return error(502, "bad_function_response", "the function's answer is not a valid HTTP response: " + rule);
    }

    private static Response error(int status, String type, String message) {
        return new Response(status, List.of(Map.entry("Content-Type", JSON)), List.of(),
                Exchanges.errorBody(type, message, Map.of()));
    }

    /** One rule of the answer broken: the message names it. */
    private static final class BadAnswer extends RuntimeException {
        BadAnswer(String rule) {
            super(rule, null, false, false);
        }
    }
}
