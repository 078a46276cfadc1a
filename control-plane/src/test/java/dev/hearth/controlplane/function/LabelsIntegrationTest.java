package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.Api;
import dev.hearth.controlplane.Hearth;
import dev.hearth.controlplane.TestHearth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels on a real Hearth: set at create, kept by a {@code PUT} that gives none, replaced by one
 * that gives them and by a {@code PATCH} (which makes no version), refused with clear 400s,
 * shown in the function's JSON, and kept across a restart.
 */
class LabelsIntegrationTest {

    @TempDir
    Path data;

    static final String CODE = "def handler(e, c):\n    return 1\n";

    @Test
    void labels_belongToTheFunction_acrossVersionsPatchesAndARestart() throws Exception {
        var env = TestHearth.settings(data);
        String token;
        try (Hearth hearth = TestHearth.start(env)) {
            var api = new Api(hearth.port());
            token = api.userWithToken("lara");
            var created = api.post("/v1/functions", token, Api.pythonSource("tagged", CODE)
                    .set("labels", Api.JSON.valueToTree(Map.of("team", "web", "hearth.dev/spec", "shop"))));
            assertEquals(201, created.status(), created::toString);
            assertEquals("{\"hearth.dev/spec\":\"shop\",\"team\":\"web\"}", created.json().get("labels").toString(), "sorted by key");
            assertEquals("{}", api.post("/v1/functions", token, Api.pythonSource("plain", CODE)).json().get("labels").toString());

            var kept = api.put("/v1/functions/tagged", token, Api.pythonSource("tagged", CODE).put("memoryMb", 256));
            assertEquals(200, kept.status(), kept::toString);
            assertEquals(2, kept.json().get("version").asLong());
            assertEquals("{\"hearth.dev/spec\":\"shop\",\"team\":\"web\"}", kept.json().get("labels").toString(),
                    "a PUT without labels keeps the function's");

            var replaced = api.put("/v1/functions/tagged", token, Api.pythonSource("tagged", CODE)
                    .set("labels", Api.JSON.valueToTree(Map.of("team", "api"))));
            assertEquals("{\"team\":\"api\"}", replaced.json().get("labels").toString());
            assertEquals(3, replaced.json().get("version").asLong());

            JsonNode before = api.get("/v1/functions/tagged", token).json();
            var patched = api.patch("/v1/functions/tagged", token, Map.of("labels", Map.of("team", "api", "tier", "gold")));
            assertEquals(200, patched.status(), patched::toString);
            assertEquals("{\"team\":\"api\",\"tier\":\"gold\"}", patched.json().get("labels").toString());
            assertEquals(3, patched.json().get("version").asLong(), "labels make no version");
            assertEquals(before.get("versionCreatedAt"), patched.json().get("versionCreatedAt"));
            assertEquals("{\"team\":\"api\",\"tier\":\"gold\"}", api.get("/v1/functions/tagged", token).json().get("labels").toString(),
                    "the next read sees the change (no stale cache)");
            JsonNode listed = api.get("/v1/functions", token).json().get("functions");
            assertEquals("{\"team\":\"api\",\"tier\":\"gold\"}", listed.get(1).get("labels").toString());
        }

        try (Hearth hearth = TestHearth.start(env)) {
            var api = new Api(hearth.port());
            assertEquals("{\"team\":\"api\",\"tier\":\"gold\"}", api.get("/v1/functions/tagged", token).json().get("labels").toString(),
                    "kept across a restart");
            var cleared = api.patch("/v1/functions/tagged", token, Map.of("labels", Map.of()));
            assertEquals("{}", cleared.json().get("labels").toString());
        }
    }

    @Test
    void badLabels_are400sThatSayWhy_andNothingIsStored() throws Exception {
        try (Hearth hearth = TestHearth.start(TestHearth.settings(data))) {
            var api = new Api(hearth.port());
            String token = api.userWithToken("lena");
            assertRefused(api, token, "{\"labels\":{\"Team\":\"web\"}}",
                    "label key 'Team' must be 1-63 lower-case letters, digits, '.', '/' or '-', starting with a letter or digit");
            assertRefused(api, token, "{\"labels\":{\"team\":5}}", "field 'labels.team' must be a JSON string");
            assertRefused(api, token, "{\"labels\":{\"team\":null}}", "field 'labels.team' must be a JSON string");
            assertRefused(api, token, "{\"labels\":[\"team\"]}", "field 'labels' must be a JSON object");
            assertRefused(api, token, "{\"labels\":{\"team\":\"" + "v".repeat(257) + "\"}}",
                    "label 'team' must be at most 256 characters, got 257");
            assertRefused(api, token, "{\"labels\":{\"team\":\"a\\u0007b\"}}",
                    "label 'team' must be printable text: it holds character U+0007 at 1");
            StringBuilder many = new StringBuilder("{\"labels\":{");
            for (int i = 0; i < 17; i++) {
                many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            }
            assertRefused(api, token, many.append("}}").toString(), "labels: at most 16 labels, got 17");
            assertEquals(0, api.get("/v1/functions", token).json().get("functions").size(), "nothing was stored");

            // Sixteen labels of the longest key and value fit a PATCH's body.
            assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("full", CODE)).status());
            Map<String, String> full = new java.util.TreeMap<>();
            for (int i = 0; i < 16; i++) {
                full.put(String.format("%02d", i) + "k".repeat(61), "\u00e9".repeat(256));
            }
            var patched = api.patch("/v1/functions/full", token, Map.of("labels", full));
            assertEquals(200, patched.status(), patched::toString);
            assertEquals(16, patched.json().get("labels").size());
            var refused = api.send("PATCH", "/v1/functions/full", token, "{\"labels\":{\"A\":\"b\"}}".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, refused.status());
            assertEquals(16, api.get("/v1/functions/full", token).json().get("labels").size(), "a refused patch changes nothing");
        }
    }

    /** The body's labels refused with 400 and this message by a create, a PUT and a PATCH alike. */
    private static void assertRefused(Api api, String token, String labelsJson, String message) {
        String create = "{\"name\":\"bad\",\"runtime\":\"python\",\"source\":{\"filename\":\"main.py\",\"content\":\"def handler(e, c):\\n    return 1\\n\"},"
                + labelsJson.substring(1);
        for (var reply : java.util.List.of(
                api.send("POST", "/v1/functions", token, create.getBytes(StandardCharsets.UTF_8)),
                api.send("PUT", "/v1/functions/bad", token, create.getBytes(StandardCharsets.UTF_8)),
                api.send("PATCH", "/v1/functions/bad", token, labelsJson.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(400, reply.status(), reply::toString);
            assertEquals("bad_request", reply.errorType());
            assertEquals(message, reply.json().get("error").get("message").asText());
        }
    }
}
