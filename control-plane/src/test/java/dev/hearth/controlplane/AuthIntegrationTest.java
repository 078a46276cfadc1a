package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Logins and tokens over real HTTP against a real Hearth (no pools: nothing here runs code).
 * Every request comes from loopback, one client address, so each test uses usernames of its own
 * and stays within the address's free failures unless it means to pass them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthIntegrationTest {

    private static final String PASSWORD = "correct horse battery";

    static final MutableClock clock = MutableClock.followingSystem();
    @RegisterExtension
    static HearthExtension hearth = HearthExtension.started().with("HEARTH_POOL_PYTHON", "0").clock(clock);
    Api api;

    @BeforeAll
    void start() {
        api = hearth.api();
    }

    private Api.Reply logIn(String username, String password) {
        return api.post("/v1/tokens", null, Map.of("username", username, "password", password));
    }

    @Test
    void failedLogins_get429WithRetryAfter_andTheRightPasswordIsRefusedToo_untilTheDelayPasses() throws Exception {
        assertEquals(201, api.post("/v1/users", null, Map.of("username", "tess", "password", PASSWORD)).status());
        for (int i = 0; i < 6; i++) {
            assertEquals(401, logIn("tess", "wrong password " + i).status(), "failure " + (i + 1) + " is only wrong");
        }
        Api.Reply throttled = logIn("tess", PASSWORD);
        assertEquals(429, throttled.status(), throttled::toString);
        assertEquals("throttled", throttled.errorType());
        assertEquals("1", throttled.header("Retry-After"), "the sixth failure costs a second");
        assertEquals(201, api.post("/v1/users", null, Map.of("username", "tessa", "password", PASSWORD)).status());
        assertEquals(201, logIn("tessa", PASSWORD).status(), "another user from the same address is not held back");

        Thread.sleep(1_100);
        assertEquals(401, logIn("tess", "wrong again").status());
        Api.Reply longer = logIn("tess", PASSWORD);
        assertEquals(429, longer.status());
        assertEquals("2", longer.header("Retry-After"), "each further failure doubles the delay");
        Thread.sleep(2_100);
        assertEquals(201, logIn("tess", PASSWORD).status(), "the right password works once the delay has passed");
    }

    @Test
    void passwordsOver72Bytes_areRefusedAtLoginAsAtSignUp() {
        String password = "p".repeat(72);
        assertEquals(201, api.post("/v1/users", null, Map.of("username", "longpw", "password", password)).status());
        Api.Reply longer = logIn("longpw", password + "anything");
        assertEquals(400, longer.status(), "bcrypt would read only the first 72 bytes and accept it");
        assertEquals("bad_request", longer.errorType());
        assertEquals(201, logIn("longpw", password).status());
    }

    @Test
    void aBurstOfLoginsFromOneAddress_isAnswered429_neverQueuedWithoutBoundOr5xx() throws Exception {
        assertEquals(201, api.post("/v1/users", null, Map.of("username", "burst", "password", PASSWORD)).status());
        ExecutorService callers = Executors.newFixedThreadPool(24);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                replies.add(callers.submit(() -> {
                    go.await();
                    return logIn("burst", PASSWORD);
                }));
            }
            go.countDown();
            int created = 0;
            int refused = 0;
            for (Future<Api.Reply> future : replies) {
                Api.Reply reply = future.get(60, TimeUnit.SECONDS);
                if (reply.status() == 201) {
                    created++;
                } else {
                    assertEquals(429, reply.status(), reply::toString);
                    assertEquals("1", reply.header("Retry-After"));
                    refused++;
                }
            }
            assertTrue(created >= 1, "the address keeps its share");
            assertTrue(refused >= 1, "24 logins at once from one address are not all hashed: " + created + " were");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void tokens_areListedWithoutSecrets_andRevokedAtOnce_andOnlyByTheirOwner() {
        String first = api.userWithToken("lister");
        Api.Reply secondLogin = logIn("lister", PASSWORD);
        assertEquals(201, secondLogin.status());
        JsonNode issued = secondLogin.json();
        String second = issued.get("token").asText();
        String secondId = issued.get("id").asText();
        Instant expiresAt = Instant.parse(issued.get("expiresAt").asText());
        assertTrue(Duration.between(clock.instant(), expiresAt).minus(Duration.ofHours(720)).abs().toMinutes() < 2,
                "expires after the default 720 hours: " + expiresAt);
        assertEquals(200, api.get("/v1/functions", first).status());

        Api.Reply listed = api.get("/v1/tokens", second);
        assertEquals(200, listed.status(), listed::toString);
        JsonNode tokens = listed.json().get("tokens");
        assertEquals(2, tokens.size());
        for (JsonNode token : tokens) {
            assertTrue(token.get("id").asText().startsWith("tok_"));
            assertNotNull(token.get("created"));
            assertNotNull(token.get("expiresAt"));
            assertTrue(token.has("lastUsed"));
        }
        assertFalse(listed.text().contains(first.substring(4)) || listed.text().contains(second.substring(4)),
                "no secret in the list");
        assertFalse(listed.text().contains(dev.hearth.poolmanager.support.Digests.sha256Hex(first)), "nor its hash");
        JsonNode firstListed = tokens.get(0).get("id").asText().equals(secondId) ? tokens.get(1) : tokens.get(0);
        assertFalse(firstListed.get("lastUsed").isNull(), "the first token was used: " + firstListed);

        String stranger = api.userWithToken("stranger");
        assertEquals(404, api.delete("/v1/tokens/" + secondId, stranger).status(), "another user's token is a 404");
        assertEquals(200, api.get("/v1/functions", second).status(), "and still works");
        assertEquals(404, api.delete("/v1/tokens/tok_00000000000000000000", first).status());
        assertEquals(404, api.delete("/v1/tokens/..%2F..%2Fetc", first).status());

        assertEquals(204, api.delete("/v1/tokens/" + secondId, first).status());
        Api.Reply refused = api.get("/v1/functions", second);
        assertEquals(401, refused.status(), "a revoked token is refused at once");
        assertEquals("unauthorized", refused.errorType());
        assertEquals(1, api.get("/v1/tokens", first).json().get("tokens").size());
        assertEquals(404, api.delete("/v1/tokens/" + secondId, first).status(), "revoked once");
    }

    @Test
    void anExpiredToken_isRefused_andNoLongerListed() {
        String token = api.userWithToken("expiring");
        assertEquals(200, api.get("/v1/functions", token).status());
        Duration pastExpiry = Duration.ofHours(720).plusMinutes(1);
        try {
            clock.advance(pastExpiry);
            Api.Reply refused = api.get("/v1/functions", token);
            assertEquals(401, refused.status(), refused::toString);
            assertTrue(refused.json().get("error").get("message").asText().contains("expired"));
            String fresh = api.token("expiring", PASSWORD);
            assertNotEquals(token, fresh);
            Api.Reply listed = api.get("/v1/tokens", fresh);
            assertEquals(1, listed.json().get("tokens").size(), "the expired one is not listed: " + listed);
        } finally {
            clock.advance(pastExpiry.negated());
        }
    }
}
