package dev.hearth.controlplane.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.hearth.controlplane.OwnStore;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token cache against the store engine Hearth embeds, with time moved by hand. */
class AuthenticatorTest {

    private static final Duration TTL = Duration.ofHours(720);
    private static final Duration CHECK = Duration.ofMillis(250);

    private final OwnStore store = OwnStore.start();
    private final MongoDatabase database = store.database();
    private final FakeTicker ticker = new FakeTicker();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    private final Tokens tokens = new Tokens(database);

    @AfterEach
    void stop() {
        store.close();
    }

    private Authenticator controlPlane(boolean shared) {
        return new Authenticator(tokens, clock, ticker, shared, CHECK);
    }

    private static int status(Runnable call) {
        return assertThrows(ApiException.class, call::run).status();
    }

    @Test
    void aTokenPastItsExpiry_isRefused_evenWhenCached() {
        Authenticator auth = controlPlane(false);
        Tokens.Issued issued = tokens.issue("alice", clock.instant(), TTL);
        assertEquals(clock.instant().plus(TTL), issued.expiresAt());
        String hash = Tokens.hash(issued.token());
        assertEquals("alice", auth.owner(hash));
        clock.advance(TTL.minusSeconds(1));
        assertEquals("alice", auth.owner(hash));
        clock.advance(Duration.ofSeconds(1));
        ApiException refused = assertThrows(ApiException.class, () -> auth.owner(hash));
        assertEquals(401, refused.status());
        assertTrue(refused.getMessage().contains("expired"));
    }

    @Test
    void aRevocationOnAnotherControlPlane_isRefusedHereOnceItsPropagationTimeHasPassed() {
        Authenticator here = controlPlane(true);
        Authenticator there = controlPlane(true);
        Tokens.Issued issued = tokens.issue("alice", clock.instant(), TTL);
        Tokens.Issued kept = tokens.issue("alice", clock.instant(), TTL);
        String hash = Tokens.hash(issued.token());
        assertEquals("alice", here.owner(hash));
        assertEquals("alice", here.owner(Tokens.hash(kept.token())));

        Tokens.Revoked revoked = tokens.revoke("alice", issued.id(), clock.instant()).orElseThrow();
        there.revokedHere(revoked.hash(), revoked.version());
        assertEquals(401, status(() -> there.owner(hash)), "refused at once where it was revoked");

        ticker.advance(there.propagation());
        assertEquals(401, status(() -> here.owner(hash)), "refused here once the revocation's answer has been sent");
        assertEquals("alice", here.owner(Tokens.hash(kept.token())), "the user's other token still works");
    }

    @Test
    void aCachedToken_costsNoStoreReadUntilTheCounterIsDue() {
        Authenticator auth = controlPlane(true);
        Tokens.Issued issued = tokens.issue("alice", clock.instant(), TTL);
        String hash = Tokens.hash(issued.token());
        assertEquals("alice", auth.owner(hash));
        // Removed behind the counter's back: the cached entry still answers, proving the call read nothing.
        database.getCollection("tokens").deleteOne(Filters.eq("_id", hash));
        ticker.advance(CHECK.dividedBy(2));
        assertEquals("alice", auth.owner(hash));
    }

    @Test
    void aCountWhoseLogEntryIsNotVisible_dropsTheWholeCache() {
        Authenticator auth = controlPlane(true);
        Tokens.Issued issued = tokens.issue("alice", clock.instant(), TTL);
        String hash = Tokens.hash(issued.token());
        assertEquals("alice", auth.owner(hash));
        database.getCollection("tokens").deleteOne(Filters.eq("_id", hash));
        database.getCollection("token_revocations").updateOne(Filters.eq("_id", "version"), Updates.inc("value", 1L),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
        ticker.advance(CHECK.plusMillis(1));
        assertEquals(401, status(() -> auth.owner(hash)));
    }

    @Test
    void revoke_isOnlyForTheOwner() {
        Tokens.Issued issued = tokens.issue("alice", clock.instant(), TTL);
        assertTrue(tokens.revoke("mallory", issued.id(), clock.instant()).isEmpty());
        assertTrue(tokens.revoke("alice", issued.id(), clock.instant()).isPresent());
        assertTrue(tokens.revoke("alice", issued.id(), clock.instant()).isEmpty(), "a second revocation finds nothing");
    }

    @Test
    void lastUse_isWrittenInBatches_andListed() {
        Authenticator auth = controlPlane(false);
        Tokens.Issued issued = tokens.issue("alice", clock.instant(), TTL);
        assertNull(tokens.list("alice", clock.instant()).get(0).lastUsed());
        clock.advance(Duration.ofSeconds(5));
        auth.owner(Tokens.hash(issued.token()));
        assertNull(tokens.list("alice", clock.instant()).get(0).lastUsed(), "not written on the call itself");
        tokens.touch(auth.drainLastUsed());
        assertEquals(clock.instant(), tokens.list("alice", clock.instant()).get(0).lastUsed());
        assertTrue(auth.drainLastUsed().isEmpty());
    }

    @Test
    void purge_deletesExpiredTokensOnly() {
        Tokens.Issued old = tokens.issue("alice", clock.instant(), TTL);
        clock.advance(Duration.ofHours(700));
        Tokens.Issued fresh = tokens.issue("alice", clock.instant(), TTL);
        clock.advance(Duration.ofHours(21));
        assertEquals(1, tokens.purge(clock.instant()));
        assertTrue(tokens.find(Tokens.hash(old.token())).isEmpty());
        assertTrue(tokens.find(Tokens.hash(fresh.token())).isPresent());
        assertEquals(1, tokens.list("alice", clock.instant()).size());
    }

    @Test
    void tokensFromBeforeExpiry_getAnIdAndExpireATtlAfterTheirCreation() {
        Instant created = clock.instant().minus(Duration.ofHours(100));
        database.getCollection("tokens").insertOne(new Document("_id", Tokens.hash("hth_old"))
                .append("username", "alice").append("createdAt", Date.from(created)));
        tokens.upgradeOld(TTL, clock.instant());
        tokens.upgradeOld(TTL, clock.instant()); // a second control plane doing the same changes nothing
        Tokens.Token upgraded = tokens.find(Tokens.hash("hth_old")).orElseThrow();
        assertNotNull(upgraded.id());
        assertTrue(upgraded.id().matches("tok_[0-9a-f]{20}"));
        assertEquals(created.plus(TTL), upgraded.expiresAt());
    }
}
