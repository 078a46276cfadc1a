package dev.hearth.controlplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    record Nested(String filename, String content) {}

    record Body(String name, Integer timeoutMs, Map<String, String> env, Nested source, List<String> tags, Boolean flag) {}

    private static ApiException refusal(String json) {
        return assertThrows(ApiException.class, () -> Json.read(json.getBytes(StandardCharsets.UTF_8), Body.class));
    }

    private static void assertNoInternals(String message) {
        for (String internal : List.of("dev.hearth", "java.", "com.fasterxml", "Json", "Body", "Nested", "`", "Feature",
                "StreamReadConstraints", "Integer", "String")) {
            assertFalse(message.contains(internal), () -> "'" + internal + "' in: " + message);
        }
    }

    @org.junit.jupiter.api.Test
    void aStoredResultNestedDeeperThanTheWritersBound_isEmbeddedAsItIs() {
        String deep = "[".repeat(5_000) + "1" + "]".repeat(5_000);
        String written = new String(Json.write(Map.of("invocations", List.of(Map.of("result", Json.embeddable(deep))))),
                StandardCharsets.UTF_8);
        assertEquals("{\"invocations\":[{\"result\":" + deep + "}]}", written);
        for (String notOneValue : List.of("", "[1", "1 2", "{\"a\":}", "not json")) {
            assertEquals(notOneValue, Json.embeddable(notOneValue));
        }
    }

    @org.junit.jupiter.api.Test
    void aStringAsLongAsTheLargestArchive_isRead() {
        // 50 MiB of zip is 67 M characters of base64: Jackson's default cap (20 M) would refuse it.
        String archive = "A".repeat(67 * 1024 * 1024);
        byte[] json = ("{\"name\":\"" + archive + "\"}").getBytes(StandardCharsets.US_ASCII);
        assertEquals(archive.length(), Json.read(json, Body.class).name().length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"timeoutMs\":\"100\"}            | field 'timeoutMs' must be a whole number",
            "{\"timeoutMs\":100.7}              | field 'timeoutMs' must be a whole number",
            "{\"timeoutMs\":100.0}              | field 'timeoutMs' must be a whole number",
            "{\"timeoutMs\":true}               | field 'timeoutMs' must be a whole number",
            "{\"timeoutMs\":\"\"}               | field 'timeoutMs' must be a whole number",
            "{\"timeoutMs\":[1]}                | field 'timeoutMs' must be a whole number",
            "{\"timeoutMs\":{}}                 | field 'timeoutMs' must be a whole number",
            "{\"name\":42}                      | field 'name' must be a JSON string",
            "{\"name\":1.5}                     | field 'name' must be a JSON string",
            "{\"name\":false}                   | field 'name' must be a JSON string",
            "{\"name\":{\"a\":1}}               | field 'name' must be a JSON string",
            "{\"name\":[\"a\"]}                 | field 'name' must be a JSON string",
            "{\"env\":{\"A\":1}}                | field 'env.A' must be a JSON string",
            "{\"env\":{\"A\":true}}             | field 'env.A' must be a JSON string",
            "{\"env\":[]}                       | field 'env' must be a JSON object",
            "{\"env\":\"A=1\"}                  | field 'env' must be a JSON object",
            "{\"source\":\"main.py\"}           | field 'source' must be a JSON object",
            "{\"source\":{\"filename\":7}}      | field 'source.filename' must be a JSON string",
            "{\"source\":{\"nope\":7}}          | unknown field 'source.nope'",
            "{\"tiemout\":5}                    | unknown field 'tiemout'",
            "{\"tags\":[\"a\",3]}               | field 'tags[1]' must be a JSON string",
            "{\"flag\":\"true\"}                | field 'flag' must be true or false",
            "{\"flag\":1}                       | field 'flag' must be true or false",
            "[]                                 | request body must be a JSON object",
            "\"text\"                           | request body must be a JSON object",
            "42                                 | request body must be a JSON object",
            "{\"name\":                         | malformed JSON: the body ends before the JSON value does",
            "{'name':'x'}                       | malformed JSON: unexpected text",
            "{\"name\":\"x\"} {}                | malformed JSON: the body holds more than one JSON value",
    })
    void read_refusesWrongKinds_inTheCallersTerms(String json, String expected) {
        String message = refusal(json.strip()).getMessage();
        assertTrue(message.startsWith(expected.strip()), message);
        assertNoInternals(message);
    }

    @ParameterizedTest
    @ValueSource(ints = {1_001, 5_000, 100_000})
    void read_refusesDeepNesting_withoutNamingJackson(int depth) {
        String message = refusal("{\"tags\":[" + "[".repeat(depth) + "]".repeat(depth) + "]}").getMessage();
        assertNoInternals(message);
        assertTrue(message.startsWith("field 'tags[0]' must be a JSON string"), message);
        String tree = assertThrows(ApiException.class, () -> Json.read(("[".repeat(depth) + "]".repeat(depth))
                .getBytes(StandardCharsets.UTF_8), com.fasterxml.jackson.databind.JsonNode.class)).getMessage();
        assertTrue(tree.contains("nested too deeply"), tree);
        assertNoInternals(tree);
    }

    @ParameterizedTest
    @ValueSource(strings = {"80", "c3", "f8 88 80 80 80", "ff", "e2 82"})
    void read_refusesInvalidUtf8(String hex) {
        var bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes("{\"name\":\"".getBytes(StandardCharsets.UTF_8));
        for (String b : hex.split(" ")) {
            bytes.write(Integer.parseInt(b, 16));
        }
        bytes.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        ApiException e = assertThrows(ApiException.class, () -> Json.read(bytes.toByteArray(), Body.class));
        assertEquals(400, e.status());
        assertNoInternals(e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"a\",\"timeoutMs\":100,\"env\":{\"A\":\"1\"},\"source\":{\"filename\":\"m.py\"},\"flag\":true}",
            "{\"name\":null,\"timeoutMs\":null}"})
    void read_takesValuesOfTheDeclaredKind(String json) {
        Body body = Json.read(json.getBytes(StandardCharsets.UTF_8), Body.class);
        assertTrue(body.timeoutMs() == null || body.timeoutMs() == 100);
    }
}
