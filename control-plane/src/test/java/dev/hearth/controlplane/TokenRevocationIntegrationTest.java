package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control planes sharing one store (a mongo-java-server of the test's own, through
 * {@code HEARTH_MONGO_URI}, as two replicas behind a balancer share MongoDB) and no NATS: a token
 * revoked on one is refused by the other on the very next call, though the other had it cached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenRevocationIntegrationTest {

    @TempDir
    static Path dir;
    OwnStore store;
    Hearth one;
    Hearth other;
    Api first;
    Api second;

    @BeforeAll
    void start() throws Exception {
        store = OwnStore.start();
        one = TestHearth.start(settings("one"));
        other = TestHearth.start(settings("other"));
        first = new Api(one.port());
        second = new Api(other.port());
    }

    private Map<String, String> settings(String name) {
        Map<String, String> env = TestHearth.settings(dir.resolve(name));
        env.put("HEARTH_POOL_PYTHON", "0");
        env.put("HEARTH_MONGO_URI", store.uri());
        return env;
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {one, other, store}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    @Test
    void aTokenRevokedOnOneControlPlane_isRefusedByTheOtherAtOnce() {
        String keeper = first.userWithToken("roaming");
        for (int round = 0; round < 5; round++) {
            Api revoker = round % 2 == 0 ? first : second;
            Api checker = round % 2 == 0 ? second : first;
            var issued = checker.post("/v1/tokens", null, Map.of("username", "roaming", "password", "correct horse battery"));
            assertEquals(201, issued.status(), issued::toString);
            String token = issued.json().get("token").asText();
            String id = issued.json().get("id").asText();
            for (int i = 0; i < 3; i++) { // cached on both
                assertEquals(200, checker.get("/v1/functions", token).status());
                assertEquals(200, revoker.get("/v1/functions", token).status());
            }
            assertEquals(204, revoker.delete("/v1/tokens/" + id, keeper).status());
            var refused = checker.get("/v1/functions", token);
            assertEquals(401, refused.status(), "round " + round + ": the other control plane still took it: " + refused);
            assertEquals(401, revoker.get("/v1/functions", token).status());
            assertEquals(200, checker.get("/v1/functions", keeper).status(), "the user's other token still works there");
        }
        var listed = second.get("/v1/tokens", keeper).json().get("tokens");
        assertEquals(1, listed.size(), "only the keeper is left: " + listed);
        assertTrue(listed.get(0).get("id").asText().startsWith("tok_"));
    }
}
