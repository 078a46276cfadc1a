package dev.hearth.controlplane.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 2.0 event of an HTTP request: every field as the format has it, text or base64 bodies never lossy. */
class HttpEventTest {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
    private static final Instant TIME = Instant.parse("2020-03-12T19:03:58.390Z");

    private static HttpEvent.Request request(String method, String path, String query,
            List<Map.Entry<String, String>> headers, byte[] body, String routeKey, Map<String, String> params) {
        return new HttpEvent.Request(method, path, query, headers, "203.0.113.7", body, routeKey, params,
                "req-1", TIME, "abc123.fn.hearth.test", "$default", "alice", "abc123");
    }

    private static HttpEvent.Request withBody(String contentType, byte[] body) {
        List<Map.Entry<String, String>> headers = contentType == null ? List.of() : List.of(Map.entry("Content-Type", contentType));
        return request("POST", "/", "", headers, body, "$default", Map.of());
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        return Json.MAPPER.readTree(bytes);
    }

    @Test
    void event_isThe20Format_fieldByField() throws IOException {
        var r = request("POST", "/hello/ann", "a=1&b=x%20y&a=2",
                List.of(Map.entry("Host", "abc123.fn.hearth.test"),
                        Map.entry("User-Agent", "curl/8.5.0"),
                        Map.entry("Content-Type", "application/json"),
                        Map.entry("X-Many", "one"),
                        Map.entry("Cookie", "s=1; theme=dark"),
                        Map.entry("x-many", "two"),
                        Map.entry("Cookie", "last=3")),
                "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8), "POST /hello/{name}", Map.of("name", "ann"));
        String expected = """
                {
                  "version": "2.0",
                  "routeKey": "POST /hello/{name}",
                  "rawPath": "/hello/ann",
                  "rawQueryString": "a=1&b=x%20y&a=2",
                  "cookies": ["s=1", "theme=dark", "last=3"],
                  "headers": {
                    "host": "abc123.fn.hearth.test",
                    "user-agent": "curl/8.5.0",
                    "content-type": "application/json",
                    "x-many": "one,two"
                  },
                  "queryStringParameters": {"a": "1,2", "b": "x y"},
                  "pathParameters": {"name": "ann"},
                  "requestContext": {
                    "accountId": "alice",
                    "apiId": "abc123",
                    "domainName": "abc123.fn.hearth.test",
                    "domainPrefix": "abc123",
                    "http": {
                      "method": "POST",
                      "path": "/hello/ann",
                      "protocol": "HTTP/1.1",
                      "sourceIp": "203.0.113.7",
                      "userAgent": "curl/8.5.0"
                    },
                    "requestId": "req-1",
                    "routeKey": "POST /hello/{name}",
                    "stage": "$default",
                    "time": "12/Mar/2020:19:03:58 +0000",
                    "timeEpoch": 1584039838390
                  },
                  "body": "{\\"k\\":\\"v\\"}",
                  "isBase64Encoded": false
                }
                """;
        JsonNode actual = json(HttpEvent.of(r));
        assertEquals(json(expected.getBytes(StandardCharsets.UTF_8)), actual);
        // Field by field and in the format's order, not only equal as trees.
        assertEquals(names(json(expected.getBytes(StandardCharsets.UTF_8))), names(actual));
        assertEquals(List.of("host", "user-agent", "content-type", "x-many"), names(actual.get("headers")));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void functionUrlEvent_withoutQueryBodyCookiesOrParameters_omitsThoseFields() throws IOException {
        JsonNode event = json(HttpEvent.of(request("GET", "/", "", List.of(), new byte[0], "$default", Map.of())));
        assertEquals("$default", event.get("routeKey").asText());
        assertEquals("", event.get("rawQueryString").asText());
        for (String omitted : List.of("cookies", "queryStringParameters", "pathParameters", "body")) {
            assertFalse(event.has(omitted), omitted);
        }
        assertTrue(event.get("headers").isObject());
        assertEquals(0, event.get("headers").size());
        assertEquals("", event.at("/requestContext/http/userAgent").asText());
        assertFalse(event.get("isBase64Encoded").asBoolean());
    }

    @Test
    void cookieHeaders_becomeTheCookiesArray_andLeaveTheHeaders() throws IOException {
        JsonNode event = json(HttpEvent.of(request("GET", "/", "",
                List.of(Map.entry("cookie", "a=1; b=2"), Map.entry("COOKIE", "c=3")), new byte[0], "$default", Map.of())));
        assertEquals(Json.MAPPER.valueToTree(List.of("a=1", "b=2", "c=3")), event.get("cookies"));
        assertFalse(event.get("headers").has("cookie"));
    }

    @Test
    void query_decodesKeysAndValues_joinsRepeats_andKeepsMalformedEscapesAsSent() {
        assertEquals(Map.of("q", "a b+c", "k", ",", "flag", "", "bad", "%zz", "é", "1,2"),
                HttpEvent.query("q=a+b%2Bc&k=%2C&flag&&bad=%zz&%C3%A9=1&%C3%A9=2"));
        assertEquals(Map.of(), HttpEvent.query(""));
        assertEquals(Map.of(), HttpEvent.query("&&"));
    }

    @Test
    void textTypes_withValidUtf8_areSentAsText() throws IOException {
        byte[] utf8 = "héllo ✓".getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {null, "", "text/plain", "TEXT/HTML; charset=utf-8", "application/json",
                "application/vnd.api+json", "application/xml", "application/atom+xml", "application/javascript",
                "application/x-www-form-urlencoded"}) {
            JsonNode event = json(HttpEvent.of(withBody(type, utf8)));
            assertEquals("héllo ✓", event.get("body").asText(), String.valueOf(type));
            assertFalse(event.get("isBase64Encoded").asBoolean(), String.valueOf(type));
        }
    }

    @Test
    void png_isBase64_andDecodesToTheSameBytes() throws IOException {
        JsonNode event = json(HttpEvent.of(withBody("image/png", PNG)));
        assertTrue(event.get("isBase64Encoded").asBoolean());
        assertArrayEquals(PNG, Base64.getDecoder().decode(event.get("body").asText()));
    }

    @Test
    void nonTextTypes_areBase64_evenWhenTheBytesAreUtf8() throws IOException {
        for (String type : new String[] {"application/octet-stream", "image/svg", "application/jsonx", "multipart/form-data"}) {
            JsonNode event = json(HttpEvent.of(withBody(type, "plain".getBytes(StandardCharsets.UTF_8))));
            assertTrue(event.get("isBase64Encoded").asBoolean(), type);
            assertEquals("cGxhaW4=", event.get("body").asText(), type);
        }
    }

    @Test
    void invalidUtf8_inATextType_orWithNoType_isBase64_neverLossy() throws IOException {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        for (String type : new String[] {"text/plain; charset=iso-8859-1", null}) {
            JsonNode event = json(HttpEvent.of(withBody(type, latin1)));
            assertTrue(event.get("isBase64Encoded").asBoolean(), String.valueOf(type));
            assertArrayEquals(latin1, Base64.getDecoder().decode(event.get("body").asText()));
        }
    }

    @Test
    void time_isEnglishAndUtc_whateverTheDefaultLocale() throws IOException {
        var r = new HttpEvent.Request("GET", "/", "", List.of(), "::1", null, "$default", null, "id",
                Instant.parse("2021-09-07T22:50:22.677Z"), "localhost", "$default", "acct", "u1");
        Locale before = Locale.getDefault();
        JsonNode context;
        try {
            Locale.setDefault(Locale.FRANCE);
            context = json(HttpEvent.of(r)).get("requestContext");
        } finally {
            Locale.setDefault(before);
        }
        assertEquals("07/Sep/2021:22:50:22 +0000", context.get("time").asText());
        assertEquals(1631055022677L, context.get("timeEpoch").asLong());
        assertEquals("localhost", context.get("domainPrefix").asText());
    }
}
