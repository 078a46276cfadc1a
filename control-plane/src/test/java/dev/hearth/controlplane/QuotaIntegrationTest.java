package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.poolmanager.code.TestZips;
import dev.hearth.poolmanager.support.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-user quotas through REST: a create past the function count, and a create or PUT whose
 * upload would take the user past the code quota, answer 403 {@code quota_exceeded} naming the
 * limit and store nothing (checked in the test's own store); a build whose output would pass it
 * ends {@code failed} with a log line that says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaIntegrationTest {

    static final int MAX_FUNCTIONS = 3;
    static final long QUOTA = 1024 * 1024;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().ownStore()
            .with("HEARTH_USER_MAX_FUNCTIONS", Integer.toString(MAX_FUNCTIONS))
            .with("HEARTH_USER_MAX_CODE_MB", "1");
    OwnStore store;
    Api api;

    @BeforeAll
    void start() {
        store = hearth.store();
        api = hearth.api();
    }

    /** A zip with the given text files and {@code randomBytes} of incompressible data in {@code blob.bin}. */
    static byte[] zip(Map<String, String> files, int randomBytes, long seed) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        files.forEach((name, text) -> entries.put(name, text.getBytes(StandardCharsets.UTF_8)));
        if (randomBytes > 0) {
            byte[] blob = new byte[randomBytes];
            new Random(seed).nextBytes(blob);
            entries.put("blob.bin", blob);
        }
        return TestZips.of(entries);
    }

    static byte[] python(String answer, int randomBytes, long seed) {
        return zip(Map.of("main.py", "def handler(event, context):\n    return '" + answer + "'\n"), randomBytes, seed);
    }

    static ObjectNode body(String name, String runtime, String handler, byte[] zip) {
        return Api.JSON.createObjectNode().put("name", name).put("runtime", runtime).put("handler", handler)
                .put("archive", Base64.getEncoder().encodeToString(zip));
    }

    static ObjectNode python(String name, byte[] zip) {
        return body(name, "python", "main.handler", zip);
    }

    private void assertQuotaExceeded(Api.Reply reply, String limit) {
        assertEquals(403, reply.status(), reply::toString);
        assertEquals("quota_exceeded", reply.errorType(), reply::toString);
        String message = reply.json().get("error").get("message").asText();
        assertTrue(message.contains(limit), "the message names the limit (" + limit + "): " + message);
    }

    private int functionCount(String token) {
        return api.get("/v1/functions", token).json().get("functions").size();
    }

    @Test
    void create_pastTheFunctionCount_is403_storesNothing_andCountsPerUser() {
        String token = api.userWithToken("quinn");
        for (int i = 0; i < MAX_FUNCTIONS; i++) {
            assertEquals(201, api.post("/v1/functions", token, python("f" + i, python("f" + i, 0, 0))).status());
        }
        byte[] fourth = python("one too many", 0, 0);
        assertQuotaExceeded(api.post("/v1/functions", token, python("f3", fourth)), MAX_FUNCTIONS + " functions");
        assertEquals(MAX_FUNCTIONS, functionCount(token));
        assertEquals(404, api.get("/v1/functions/f3", token).status());
        assertNull(store.archive(Digests.sha256Hex(fourth)), "the refused code is not stored");

        String other = api.userWithToken("quinns-neighbour");
        assertEquals(201, api.post("/v1/functions", other, python("f0", python("theirs", 0, 0))).status(),
                "the count is per user");

        assertEquals(204, api.delete("/v1/functions/f0", token).status());
        assertEquals(201, api.post("/v1/functions", token, python("f3", fourth)).status(), "a deletion makes room");
        assertEquals(200, api.invoke(token, "f3", "{}").status());
    }

    @Test
    void createAndPut_pastTheCodeQuota_are403_andStoreNothing() {
        String token = api.userWithToken("rhea");
        byte[] first = python("first", 600_000, 1);
        assertEquals(201, api.post("/v1/functions", token, python("a", first)).status());

        byte[] second = python("second", 600_000, 2);
        assertQuotaExceeded(api.post("/v1/functions", token, python("b", second)), "1.0 MiB");
        assertNull(store.archive(Digests.sha256Hex(second)));
        assertEquals(1, functionCount(token));

        byte[] bigger = python("bigger", 1_100_000, 3);
        assertQuotaExceeded(api.put("/v1/functions/a", token, python("a", bigger)), "1.0 MiB");
        assertNull(store.archive(Digests.sha256Hex(bigger)));
        JsonNode a = api.get("/v1/functions/a", token).json();
        assertEquals(1, a.get("version").asInt(), "the refused PUT made no version");
        assertEquals("first", api.invoke(token, "a", "{}").json().asText());

        byte[] smaller = python("smaller", 300_000, 4);
        assertEquals(200, api.put("/v1/functions/a", token, python("a", smaller)).status(),
                "a new version is kept beside the old one: 900 KB in all");
        assertQuotaExceeded(api.post("/v1/functions", token, python("b", second)), "1.0 MiB");
        assertEquals(204, api.delete("/v1/functions/a/versions/1", token).status());
        assertEquals(201, api.post("/v1/functions", token, python("b", second)).status(),
                "deleting version 1 freed its 600 KB: 900 KB in all fits");
        assertEquals("second", api.invoke(token, "b", "{}").json().asText());
    }

    @Test
    void build_whoseOutputWouldPassTheCodeQuota_endsFailed_withALogLineSayingSo() throws Exception {
        String token = api.userWithToken("sina");
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("example/Hello.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;

                public class Hello implements RequestHandler<Object, String> {
                    @Override
                    public String handleRequest(Object event, Context context) {
                        return "hello";
                    }
                }
                """);
        // 600 KB uploaded fits; the build copies the blob into its output, another 600 KB, which does not.
        Api.Reply created = api.post("/v1/functions", token, body("heavy", "java", "example.Hello", zip(sources, 600_000, 5)));
        assertEquals(202, created.status(), created::toString);
        JsonNode built = api.awaitBuilt(token, "heavy");
        assertEquals("failed", built.get("status").asText());
        String log = api.get("/v1/functions/heavy/build", token).json().get("log").asText();
        assertTrue(log.contains("past the quota of 1.0 MiB"), log);
    }
}
