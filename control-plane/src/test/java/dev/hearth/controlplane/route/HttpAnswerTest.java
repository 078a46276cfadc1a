package dev.hearth.controlplane.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A function's answer onto an HTTP response, by Lambda's function-URL rules; answers HTTP cannot carry are 502s that say why. */
class HttpAnswerTest {

    private static HttpAnswer.Response answer(String json) {
        return HttpAnswer.fromResult(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(HttpAnswer.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static Map.Entry<String, String> header(String name, String value) {
        return Map.entry(name, value);
    }

    private static final Map.Entry<String, String> JSON = header("Content-Type", "application/json");

    @Test
    void statusCodeAnswer_givesItsStatusHeadersAndBody() {
        var r = answer("{\"statusCode\":404,\"headers\":{\"Content-Type\":\"text/plain\",\"X-Why\":\"gone\"},\"body\":\"nope\"}");
        assertEquals(404, r.status());
        assertEquals(List.of(header("Content-Type", "text/plain"), header("X-Why", "gone")), r.headers());
        assertEquals(List.of(), r.setCookies());
        assertEquals("nope", text(r));
    }

    @Test
    void statusCodeAnswer_withAJsonStringBody_isUnwrapped_andDefaultsToJson() {
        // The aws-python-simple-http-endpoint handler: statusCode and json.dumps(...) as the body.
        var r = answer("{\"statusCode\":200,\"body\":\"{\\\"message\\\":\\\"hi\\\"}\"}");
        assertEquals(200, r.status());
        assertEquals(List.of(JSON), r.headers());
        assertEquals("{\"message\":\"hi\"}", text(r));
    }

    @Test
    void contentTypeGivenInAnyCase_isNotDoubled() {
        var r = answer("{\"statusCode\":201,\"headers\":{\"content-type\":\"text/html\"}}");
        assertEquals(List.of(header("content-type", "text/html")), r.headers());
        assertEquals(0, r.body().length);
    }

    @Test
    void cookies_becomeOneSetCookieEach() {
        var r = answer("{\"statusCode\":200,\"cookies\":[\"a=1; Path=/\",\"b=2; Max-Age=60; HttpOnly\"],\"body\":\"\"}");
        assertEquals(List.of("a=1; Path=/", "b=2; Max-Age=60; HttpOnly"), r.setCookies());
    }

    @Test
    void commaJoinedHeaderValue_isForwardedAsOneHeader() {
        var r = answer("{\"statusCode\":200,\"headers\":{\"Vary\":\"Accept, Origin\"}}");
        assertEquals(List.of(header("Vary", "Accept, Origin"), JSON), r.headers());
    }

    @Test
    void base64Body_isDecodedToTheBytes_aPngRoundTrips() {
        String png = Base64.getEncoder().encodeToString(HttpEventTest.PNG);
        var r = answer("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"image/png\"},\"isBase64Encoded\":true,\"body\":\"" + png + "\"}");
        assertEquals(200, r.status());
        assertArrayEquals(HttpEventTest.PNG, r.body());
        assertEquals(List.of(header("Content-Type", "image/png")), r.headers());
    }

    @Test
    void base64FlagFalse_leavesTheBodyAsText() {
        assertEquals("aGk=", text(answer("{\"statusCode\":200,\"isBase64Encoded\":false,\"body\":\"aGk=\"}")));
    }

    @Test
    void nullFields_takeTheirDefaults() {
        var r = answer("{\"statusCode\":204,\"headers\":null,\"cookies\":null,\"body\":null,\"isBase64Encoded\":null}");
        assertEquals(204, r.status());
        assertEquals(List.of(JSON), r.headers());
        assertEquals(0, r.body().length);
    }

    @Test
    void framingAndHopByHopHeaders_areDropped() {
        var r = answer("{\"statusCode\":200,\"headers\":{\"Connection\":\"close\",\"Transfer-Encoding\":\"chunked\","
                + "\"Content-Length\":\"999\",\"Keep-Alive\":\"timeout=5\",\"Upgrade\":\"h2c\",\"TE\":\"trailers\","
                + "\"Trailer\":\"X\",\"Proxy-Authenticate\":\"Basic\",\"proxy-connection\":\"keep-alive\",\"X-Kept\":\"yes\"},\"body\":\"ok\"}");
        assertEquals(List.of(header("X-Kept", "yes"), JSON), r.headers());
        assertEquals("ok", text(r));
    }

    @Test
    void multiValueHeaders_isNotPartOf20_andIsIgnored() {
        var r = answer("{\"statusCode\":200,\"multiValueHeaders\":{\"X-A\":[\"1\",\"2\"]},\"body\":\"x\"}");
        assertEquals(List.of(JSON), r.headers());
    }

    @Test
    void resultsWithoutStatusCode_are200Json_withTheResultAsIs() {
        // A bare string keeps its quotes: urls-invocation.html's "Hello, world!" example, content-length 15.
        for (String result : new String[] {"\"Hello, world!\"", "{\"message\":\"Hello, world!\"}", "[1,2]", "42", "true", "null",
                "{\"headers\":{\"a\":1},\"body\":7}", " {\"nested\":{\"statusCode\":500}} "}) {
            var r = answer(result);
            assertEquals(200, r.status(), result);
            assertEquals(List.of(JSON), r.headers(), result);
            assertEquals(List.of(), r.setCookies(), result);
            assertEquals(result, text(r), result);
        }
    }

    @Test
    void deeplyNestedResult_passesThrough() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        var r = answer(deep);
        assertEquals(200, r.status());
        assertEquals(deep, text(r));
        var custom = answer("{\"statusCode\":201,\"extra\":" + deep + ",\"body\":\"b\"}");
        assertEquals(201, custom.status());
        assertEquals("b", text(custom));
    }

    @Test
    void aOneHundredStatus_isA502_forItIsNoFinalResponse() throws IOException {
        // A 1xx is interim: a client or proxy waits for the final response after it and takes the
        // next one on the connection (another request's) for this request's; 101 breaks the connection.
        for (int status : new int[] {100, 101, 103, 199}) {
            var r = answer("{\"statusCode\":" + status + ",\"body\":\"HTTP/1.1 200 OK\\r\\n\\r\\n\"}");
            assertEquals(502, r.status(), "statusCode " + status);
            JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
            assertEquals("bad_function_response", error.path("type").asText());
            assertTrue(error.path("message").asText().contains("statusCode " + status + " is an interim status"),
                    error.toString());
        }
        assertEquals(200, answer("{\"statusCode\":200}").status());
    }

    @Test
    void invalidAnswers_are502_namingTheRule() throws IOException {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"statusCode\":99}", "statusCode must be an integer from 100 to 599"),
                Map.entry("{\"statusCode\":600}", "statusCode must be an integer from 100 to 599"),
                Map.entry("{\"statusCode\":200.5}", "statusCode must be an integer from 100 to 599"),
                Map.entry("{\"statusCode\":\"200\"}", "statusCode must be an integer from 100 to 599"),
                Map.entry("{\"statusCode\":null}", "statusCode must be an integer from 100 to 599"),
                Map.entry("{\"statusCode\":4294967496}", "statusCode must be an integer from 100 to 599"),
                Map.entry("{\"statusCode\":200,\"headers\":{\"X-N\":5}}", "header 'X-N' must be a string"),
                Map.entry("{\"statusCode\":200,\"headers\":{\"X-N\":[\"a\"]}}", "header 'X-N' must be a string"),
                Map.entry("{\"statusCode\":200,\"headers\":[\"X-N\"]}", "headers must be an object of strings"),
                Map.entry("{\"statusCode\":200,\"headers\":{\"X-N\":\"a\\r\\nSet-Cookie: evil=1\"}}",
                        "header 'X-N' holds a character HTTP cannot carry (CR, LF, another control, or past U+00FF)"),
                Map.entry("{\"statusCode\":200,\"headers\":{\"X-N\":\"\\u0100\"}}",
                        "header 'X-N' holds a character HTTP cannot carry (CR, LF, another control, or past U+00FF)"),
                Map.entry("{\"statusCode\":200,\"headers\":{\"Bad Name\":\"v\"}}", "header name 'Bad Name' is not a valid HTTP header name"),
                Map.entry("{\"statusCode\":200,\"headers\":{\"X-A\\nB\":\"v\"}}", "header name 'X-A?B' is not a valid HTTP header name"),
                Map.entry("{\"statusCode\":200,\"headers\":{\"\":\"v\"}}", "header name '' is not a valid HTTP header name"),
                Map.entry("{\"statusCode\":200,\"cookies\":\"a=1\"}", "cookies must be an array of strings"),
                Map.entry("{\"statusCode\":200,\"cookies\":[1]}", "cookies must be an array of strings"),
                Map.entry("{\"statusCode\":200,\"cookies\":[\"a=1\\r\\nX: y\"]}",
                        "a cookie holds a character HTTP cannot carry (CR, LF, another control, or past U+00FF)"),
                Map.entry("{\"statusCode\":200,\"body\":{\"a\":1}}", "body must be a string"),
                Map.entry("{\"statusCode\":200,\"body\":12}", "body must be a string"),
                Map.entry("{\"statusCode\":200,\"isBase64Encoded\":\"yes\",\"body\":\"\"}", "isBase64Encoded must be true or false"),
                Map.entry("{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"not base64!\"}",
                        "body is not valid base64 though isBase64Encoded is true"),
                Map.entry("{\"a\":1} {\"b\":2}", "the result holds more than one JSON value"),
                Map.entry("{\"statusCode\":200", "the result is not JSON"),
                Map.entry("not json", "the result is not JSON"));
        for (var c : cases.entrySet()) {
            var r = answer(c.getKey());
            assertEquals(502, r.status(), c.getKey());
            assertEquals(List.of(JSON), r.headers(), c.getKey());
            assertEquals(List.of(), r.setCookies(), c.getKey());
            JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
            assertEquals("bad_function_response", error.get("type").asText(), c.getKey());
            assertEquals("the function's answer is not a valid HTTP response: " + c.getValue(), error.get("message").asText(), c.getKey());
        }
    }

    @Test
    void invalidHopByHopValue_isDroppedNotRefused_butItMustStillBeAString() {
        assertEquals(200, answer("{\"statusCode\":200,\"headers\":{\"Connection\":\"a\\r\\nb\"}}").status());
        assertEquals(502, answer("{\"statusCode\":200,\"headers\":{\"Connection\":1}}").status());
    }

    @Test
    void failureResponses_areShortJson_withTheirStatuses() throws IOException {
        assertFailure(HttpAnswer.functionError(), 502, "function_error");
        assertFailure(HttpAnswer.timeout(), 504, "timeout");
        assertFailure(HttpAnswer.throttled(), 429, "throttled");
    }

    private static void assertFailure(HttpAnswer.Response r, int status, String type) throws IOException {
        assertEquals(status, r.status());
        assertEquals(List.of(JSON), r.headers());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(List.of("error"), List.copyOf(iterable(body)));
        assertEquals(type, body.at("/error/type").asText());
        String message = body.at("/error/message").asText();
        assertFalse(message.isEmpty());
        assertTrue(r.body().length < 200, "short: " + r.body().length);
        assertFalse(message.contains("Exception") || message.contains("dev.hearth"), message);
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
