package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Immutable versions and aliases against the real engine, through the REST API: three versions
 * of one function, an alias shifted by weights (the share of calls that ran each version
 * counted), repointed and rolled back with the first call after each {@code warm}, numbered
 * calls, deletes refused while a version is needed, and an unneeded version's containers and
 * code gone after the delete. Another user sees, calls and points at none of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VersionsIntegrationTest {

    static final Duration GRACE = Duration.ofSeconds(2);
    static final Duration GONE_WITHIN = Duration.ofSeconds(30);

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().ownStore()
            .with("HEARTH_POOL_PYTHON", "3")
            .with("HEARTH_CODE_GRACE_SECONDS", Long.toString(GRACE.toSeconds()));
    Api api;
    String token;
    String stranger;
    final List<String> digests = new ArrayList<>();

    /** Answers its version and its container's hostname, which Docker sets to the container id. */
    static ObjectNode version(int n) {
        ObjectNode body = Api.pythonSource("shop", """
                import socket
                def handler(event, context):
                    return {"v": %d, "host": socket.gethostname(), "fv": context.function_version}
                """.formatted(n));
        return body.put("description", "release " + n);
    }

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("vera");
        stranger = api.userWithToken("sid");
        assertEquals(201, api.post("/v1/functions", token, version(1)).status());
        digests.add(api.get("/v1/functions/shop", token).json().get("codeSha256").asText());
        for (int n = 2; n <= 3; n++) {
            Api.Reply put = api.put("/v1/functions/shop", token, version(n));
            assertEquals(200, put.status(), put::toString);
            assertEquals(n, put.json().get("version").asInt());
            digests.add(put.json().get("codeSha256").asText());
        }
    }

    Api.Reply call(String qualifier) {
        String path = "/v1/functions/shop/invoke" + (qualifier == null ? "" : "?qualifier=" + qualifier);
        return api.send("POST", path, token, "{}".getBytes());
    }

    Api.Reply alias(String name, Object body) {
        return api.put("/v1/functions/shop/aliases/" + name, token, body);
    }

    static boolean containerExists(String hostname) {
        return Docker.CLIENT.listContainersCmd().withShowAll(true).exec().stream().anyMatch(c -> c.getId().startsWith(hostname));
    }

    @Test
    @Order(1)
    void versions_areListedNewestFirst_eachWithItsOwnCodeAndSettings() {
        Api.Reply listed = api.get("/v1/functions/shop/versions", token);
        assertEquals(200, listed.status(), listed::toString);
        JsonNode versions = listed.json().get("versions");
        assertEquals(3, versions.size());
        for (int i = 0; i < 3; i++) {
            JsonNode v = versions.get(i);
            assertEquals(3 - i, v.get("version").asInt());
            assertEquals("ready", v.get("status").asText());
            assertEquals("release " + (3 - i), v.get("description").asText());
            assertEquals(digests.get(2 - i), v.get("codeSha256").asText());
            assertNotNull(v.get("createdAt"));
            assertEquals(128, v.get("settings").get("memoryMb").asInt(), v::toString);
        }
        JsonNode second = api.get("/v1/functions/shop/versions/2", token).json();
        assertEquals(digests.get(1), second.get("codeSha256").asText());
        assertEquals(404, api.get("/v1/functions/shop/versions/9", token).status());
        assertEquals(400, api.get("/v1/functions/shop/versions/two", token).status());
        Api.Reply latest = call(null);
        assertEquals(3, latest.json().get("v").asInt(), "the unqualified name serves the latest version");
        assertEquals("3", latest.header("X-Hearth-Version"));
        assertNull(latest.header("X-Hearth-Alias"));
    }

    @Test
    @Order(2)
    void anAliasShiftedByWeights_spreadsCallsAsWeighted_andRepointingOrRollingBackIsWarm() {
        Api.Reply created = alias("prod", Map.of("version", 1, "description", "live"));
        assertEquals(200, created.status(), created::toString);
        Api.Reply first = call("prod");
        assertEquals(1, first.json().get("v").asInt());
        assertEquals("1", first.header("X-Hearth-Version"));
        assertEquals("prod", first.header("X-Hearth-Alias"));

        assertEquals(200, alias("prod", Map.of("version", 1, "weights", Map.of("2", 0.25))).status());
        int calls = 400;
        int second = 0;
        for (int i = 0; i < calls; i++) {
            Api.Reply reply = call("prod");
            assertEquals(200, reply.status(), reply::toString);
            int v = reply.json().get("v").asInt();
            assertEquals(Integer.toString(v), reply.header("X-Hearth-Version"), "the header names the version that ran");
            assertEquals(v, reply.json().get("fv").asInt(), "the handler sees the version it runs as");
            second += v == 2 ? 1 : 0;
        }
        double share = second / (double) calls;
        assertTrue(Math.abs(share - 0.25) <= 0.06, "version 2 ran " + second + " of " + calls + " calls");

        assertEquals(200, alias("prod", Map.of("version", 2)).status());
        Api.Reply shifted = call("prod");
        assertEquals(2, shifted.json().get("v").asInt());
        assertEquals("warm", shifted.header("X-Hearth-Start"), "the first call after a shift finds version 2 warm");

        assertEquals(200, alias("prod", Map.of("version", 1)).status());
        Api.Reply rolledBack = call("prod");
        assertEquals(1, rolledBack.json().get("v").asInt());
        assertEquals("warm", rolledBack.header("X-Hearth-Start"), "the first call after a rollback finds version 1 warm");

        JsonNode listed = api.get("/v1/functions/shop/invocations?alias=prod&limit=100", token).json().get("invocations");
        assertEquals(100, listed.size());
        listed.forEach(r -> assertEquals("prod", r.get("alias").asText()));
        JsonNode ofTwo = api.get("/v1/functions/shop/invocations?version=2&limit=100", token).json().get("invocations");
        assertTrue(ofTwo.size() > 0);
        ofTwo.forEach(r -> assertEquals(2, r.get("version").asInt()));
        JsonNode alias = api.get("/v1/functions/shop/aliases/prod", token).json();
        assertEquals(1, alias.get("version").asInt());
        assertEquals(1, api.get("/v1/functions/shop/aliases", token).json().get("aliases").size());
    }

    @Test
    @Order(3)
    void numberedCallsRunThatVersion_unknownQualifiersAre404_andBadAliasesAreRefusedSayingWhy() throws Exception {
        Api.Reply third = call("3");
        assertEquals(3, third.json().get("v").asInt());
        assertEquals("3", third.header("X-Hearth-Version"));
        assertEquals(404, call("9").status());
        assertEquals(404, call("staging").status());
        assertEquals(400, call("a.b").status());

        Api.Reply async = api.send("POST", "/v1/functions/shop/invoke?qualifier=prod", token, "{}".getBytes(),
                "X-Hearth-Invocation-Type", "async");
        assertEquals(202, async.status(), async::toString);
        String id = async.json().get("invocationId").asText();
        assertTrue(Docker.eventually(Duration.ofSeconds(20),
                () -> "succeeded".equals(api.get("/v1/invocations/" + id, token).json().path("status").asText())));
        JsonNode record = api.get("/v1/invocations/" + id, token).json();
        assertEquals(1, record.get("version").asInt(), record::toString);
        assertEquals("prod", record.get("alias").asText());

        Api.Reply digits = alias("123", Map.of("version", 1));
        assertEquals(400, digits.status());
        assertTrue(digits.text().contains("not all digits"), digits::toString);
        assertEquals(400, alias("prod", Map.of("version", 1, "weights", Map.of("2", 1.5))).status());
        assertEquals(400, alias("prod", Map.of("version", 1, "weights", Map.of("2", 0.1, "3", 0.1))).status());
        Api.Reply missing = alias("prod", Map.of("version", 7));
        assertEquals(404, missing.status());
        assertTrue(missing.text().contains("no version 7"), missing::toString);
        assertEquals(400, api.send("PUT", "/v1/functions/shop/aliases/prod", token, "{\"version\": \"one\"}".getBytes()).status());
    }

    @Test
    @Order(4)
    void anotherUser_canNeitherSeeNorCallNorPointAtTheVersionsAndAliases() {
        assertEquals(404, api.get("/v1/functions/shop/versions", stranger).status());
        assertEquals(404, api.get("/v1/functions/shop/versions/1", stranger).status());
        assertEquals(404, api.get("/v1/functions/shop/aliases", stranger).status());
        assertEquals(404, api.get("/v1/functions/shop/aliases/prod", stranger).status());
        assertEquals(404, api.send("POST", "/v1/functions/shop/invoke?qualifier=prod", stranger, "{}".getBytes()).status());
        assertEquals(404, api.send("POST", "/v1/functions/shop/invoke?qualifier=1", stranger, "{}".getBytes()).status());
        assertEquals(404, api.put("/v1/functions/shop/aliases/mine", stranger, Map.of("version", 1)).status());
        assertEquals(404, api.delete("/v1/functions/shop/aliases/prod", stranger).status());
        assertEquals(404, api.delete("/v1/functions/shop/versions/2", stranger).status());
        // Their own function of the same name cannot point at this one's versions either.
        assertEquals(201, api.post("/v1/functions", stranger, version(1)).status());
        assertEquals(404, api.put("/v1/functions/shop/aliases/prod", stranger, Map.of("version", 2)).status());
        assertEquals(1, api.get("/v1/functions/shop/aliases", token).json().get("aliases").size(), "vera's alias is untouched");
    }

    @Test
    @Order(5)
    void versionsANameOrAnAliasNeeds_areNotDeleted_andAnUnneededOnesContainersAndCodeGo() throws Exception {
        Api.Reply aliased = api.delete("/v1/functions/shop/versions/1", token);
        assertEquals(409, aliased.status());
        assertTrue(aliased.text().contains("alias 'prod'"), aliased::toString);
        assertEquals(409, api.delete("/v1/functions/shop/versions/3", token).status(), "the latest version");

        Api.Reply onTwo = call("2");
        assertEquals(2, onTwo.json().get("v").asInt());
        String host = onTwo.json().get("host").asText();
        assertTrue(containerExists(host));
        assertEquals(204, api.delete("/v1/functions/shop/versions/2", token).status());
        assertEquals(404, api.get("/v1/functions/shop/versions/2", token).status());
        assertEquals(404, call("2").status());
        assertTrue(Docker.eventually(Duration.ofSeconds(10), () -> !containerExists(host)), "version 2's container is removed");

        Path codeDir = hearth.data().resolve("run").resolve(hearth.nodeId()).resolve("code");
        String code = digests.get(1);
        assertTrue(Docker.eventually(GONE_WITHIN, () -> !Files.exists(codeDir.resolve(code)) && hearth.store().archive(code) == null),
                "version 2's unpacked code and archive outlived the grace period");
        assertNotNull(hearth.store().archive(digests.get(0)), "version 1's archive stays: prod points at it");
        assertEquals(1, call("prod").json().get("v").asInt());
    }

    @Test
    @Order(6)
    void aPatchOfTheTimeout_makesANewVersion_whileConcurrencyAndMinWarmChangeInPlace() {
        Api.Reply timed = api.patch("/v1/functions/shop", token, Map.of("timeoutMs", 4000));
        assertEquals(200, timed.status(), timed::toString);
        assertEquals(4, timed.json().get("version").asInt());
        assertEquals(4000, api.get("/v1/functions/shop/versions/4", token).json().get("settings").get("timeoutMs").asInt());
        assertEquals(3000, api.get("/v1/functions/shop/versions/3", token).json().get("settings").get("timeoutMs").asInt(),
                "version 3 is unchanged");
        Api.Reply limited = api.patch("/v1/functions/shop", token, Map.of("concurrency", 5));
        assertEquals(4, limited.json().get("version").asInt(), "no new version");
        assertEquals(3, call(null).json().get("v").asInt(), "version 4 runs version 3's code");
    }
}
