package dev.hearth.controlplane;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Code does not pile up: with a 2 s grace period, a deleted function's unpacked code on the node
 * and its archive in the store are gone soon after, an old version's code goes once a new
 * version replaces it, and live functions' code stays. The store is one of the test's own, read
 * with its own client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeLifecycleIntegrationTest {

    static final Duration GRACE = Duration.ofSeconds(2);
    /** Grace, a sweep interval (half the grace) and room for a slow machine. */
    static final Duration GONE_WITHIN = Duration.ofSeconds(30);

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().ownStore()
            .with("HEARTH_CODE_GRACE_SECONDS", Long.toString(GRACE.toSeconds()));
    OwnStore store;
    Api api;
    String token;
    Path codeDir;

    @BeforeAll
    void start() {
        store = hearth.store();
        api = hearth.api();
        token = api.userWithToken("cora");
        codeDir = hearth.data().resolve("run").resolve(hearth.nodeId()).resolve("code");
    }

    static String handler(String answer) {
        return "def handler(event, context):\n    return {'answer': '" + answer + "'}\n";
    }

    /** Creates a zip function, calls it (so its code is unpacked on the node) and returns its code digest. */
    private String createAndCall(String name, String answer) {
        Api.Reply created = api.post("/v1/functions", token, Api.pythonArchive(name,
                Map.of("main.py", handler(answer), "data/notes.txt", "notes of " + name)));
        assertEquals(201, created.status(), created::toString);
        Api.Reply called = api.invoke(token, name, "{}");
        assertEquals(200, called.status(), called::toString);
        assertEquals(answer, called.json().get("answer").asText());
        return created.json().get("codeSha256").asText();
    }

    private boolean gone(String digest) {
        return !Files.exists(codeDir.resolve(digest)) && store.archive(digest) == null;
    }

    private void assertKept(String digest, String name) {
        assertTrue(Files.isRegularFile(codeDir.resolve(digest).resolve("main.py")), name + "'s unpacked code stays");
        Document archive = store.archive(digest);
        assertNotNull(archive, name + "'s archive stays");
        assertTrue(store.chunksOf(archive) > 0);
    }

    @Test
    void aDeletedFunctionsUnpackedCodeAndArchive_areGoneAfterTheGracePeriod_whileALiveOnesStay() throws Exception {
        String doomed = createAndCall("doomed", "soon gone");
        String keeper = createAndCall("keeper", "still here");
        assertNotEquals(doomed, keeper);
        assertTrue(Files.isRegularFile(codeDir.resolve(doomed).resolve("data/notes.txt")), "unpacked on the node");
        Document archive = store.archive(doomed);
        assertNotNull(archive, "stored in GridFS");

        assertEquals(204, api.delete("/v1/functions/doomed", token).status());
        assertTrue(Docker.eventually(GONE_WITHIN, () -> gone(doomed)),
                "the deleted function's code is still on the node or in the store " + GONE_WITHIN.toSeconds() + " s later");
        assertEquals(0, store.chunksOf(archive), "its chunks go with its file");

        // Another grace period and sweep later, the live function's code is still there, and it still runs.
        Thread.sleep(GRACE.multipliedBy(2).toMillis());
        assertKept(keeper, "keeper");
        Api.Reply called = api.invoke(token, "keeper", "{}");
        assertEquals(200, called.status(), called::toString);
        assertEquals("still here", called.json().get("answer").asText());
    }

    @Test
    void aReplacedVersion_leavesTheNodeAfterTheGrace_keepsItsArchiveWhileKept_andLosesItOnceDeleted() throws Exception {
        String v1 = createAndCall("versioned", "one");
        Api.Reply updated = api.put("/v1/functions/versioned", token, Api.pythonArchive("versioned",
                Map.of("main.py", handler("two"))));
        assertEquals(200, updated.status(), updated::toString);
        String v2 = updated.json().get("codeSha256").asText();
        assertEquals("two", api.invoke(token, "versioned", "{}").json().get("answer").asText());

        assertTrue(Docker.eventually(GONE_WITHIN, () -> !Files.exists(codeDir.resolve(v1))),
                "version 1, which nothing routes to, kept its unpacked code on the node past the grace");
        Thread.sleep(GRACE.multipliedBy(2).toMillis());
        assertNotNull(store.archive(v1), "version 1 is still kept, so its archive stays");
        Api.Reply again = api.send("POST", "/v1/functions/versioned/invoke?qualifier=1", token, "{}".getBytes());
        assertEquals("one", again.json().get("answer").asText(), "and it still runs: " + again);

        assertEquals(204, api.delete("/v1/functions/versioned/versions/1", token).status());
        assertTrue(Docker.eventually(GONE_WITHIN, () -> gone(v1)), "version 1's code outlived its deletion");
        assertKept(v2, "version 2");
    }

    @Test
    void aSweptBuildOutput_takesItsBuildCacheEntryWithIt_andTheSameSourceIsBuiltAgain() throws Exception {
        JsonNode first = buildJava("built");
        String source = first.get("sourceSha256").asText();
        String output = first.get("codeSha256").asText();
        var builds = store.database().getCollection("builds");
        assertEquals(1, builds.countDocuments(eq("outputSha256", output)), "the build is cached");

        assertEquals(204, api.delete("/v1/functions/built", token).status());
        assertTrue(Docker.eventually(GONE_WITHIN, () -> store.archive(source) == null && store.archive(output) == null
                && builds.countDocuments(eq("outputSha256", output)) == 0), "upload, output and build cache entry all go");

        JsonNode again = buildJava("built");
        assertFalse(api.get("/v1/functions/built/build", token).json().get("cached").asBoolean(),
                "its output gone, the same source is built again rather than pointed at a missing archive");
        assertEquals(output, again.get("codeSha256").asText(), "to the same bytes");
        assertNotNull(store.archive(output));
    }

    private JsonNode buildJava(String name) throws InterruptedException {
        Api.Reply created = api.post("/v1/functions", token, Api.source(name, "java", "example.Hello", "Hello.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;

                public class Hello implements RequestHandler<Object, String> {
                    @Override
                    public String handleRequest(Object event, Context context) {
                        return "hello";
                    }
                }
                """));
        assertEquals(202, created.status(), created::toString);
        JsonNode built = api.awaitBuilt(token, name);
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/" + name + "/build", token).text());
        return built;
    }
}
