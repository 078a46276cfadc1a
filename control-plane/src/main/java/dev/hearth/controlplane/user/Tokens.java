package dev.hearth.controlplane.user;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.hearth.poolmanager.support.Digests;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * API tokens in the store. A token is shown once, at issue, and kept only as its SHA-256, so a
 * leaked database grants nobody access; its public {@code id} names it for listing and revoking.
 * Every revocation bumps a counter and logs the token's hash under the new count, so control
 * planes sharing the store learn of revocations by reading one small document.
 */
final class Tokens {

    /** A token as stored, without its secret. */
    record Token(String hash, String id, String username, Instant created, Instant expiresAt, Instant lastUsed) {}

    /** A revoked token's hash and the revocation count it was revoked under. */
    record Revoked(String hash, long version) {}

    /** A new token: the secret is shown to its owner once. */
    record Issued(String token, String id, Instant expiresAt) {}

    private static final String VERSION = "version";
    /** Revocation log entries older than this are purged: no lookup is in flight that long. */
    static final Duration LOG_KEPT = Duration.ofHours(1);

    private final MongoCollection<Document> tokens;
    private final MongoCollection<Document> revocations;
    private final SecureRandom random = new SecureRandom();

    Tokens(MongoDatabase database) {
        this.tokens = database.getCollection("tokens");
        this.revocations = database.getCollection("token_revocations");
        tokens.createIndex(Indexes.ascending("username"), new IndexOptions().name("by_user"));
        tokens.createIndex(Indexes.ascending("id"), new IndexOptions().name("by_id"));
        tokens.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().name("by_expiry"));
    }

    Issued issue(String username, Instant now, Duration ttl) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = "hth_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[10];
        random.nextBytes(idBytes);
        String id = "tok_" + HexFormat.of().formatHex(idBytes);
        Instant expiresAt = now.plus(ttl);
        tokens.insertOne(new Document("_id", hash(token))
                .append("id", id)
                .append("username", username)
                .append("createdAt", Date.from(now))
                .append("expiresAt", Date.from(expiresAt)));
        return new Issued(token, id, expiresAt);
    }

    Optional<Token> find(String hash) {
        return Optional.ofNullable(tokens.find(eq("_id", hash)).first()).map(Tokens::token);
    }

    /** The user's tokens that have not expired, newest first. */
    List<Token> list(String username, Instant now) {
        List<Token> list = new ArrayList<>();
        tokens.find(and(eq("username", username), gt("expiresAt", Date.from(now))))
                .sort(Sorts.descending("createdAt")).limit(1000).forEach(d -> list.add(token(d)));
        return list;
    }

    /**
     * Deletes the user's token with this id and logs its revocation; empty when the user has no
     * such token. The delete comes before the counter moves, so a control plane that has read the
     * new count finds the token gone.
     */
    Optional<Revoked> revoke(String username, String id, Instant now) {
        Document removed = tokens.findOneAndDelete(and(eq("id", id), eq("username", username)));
        if (removed == null) {
            return Optional.empty();
        }
        Document counter = revocations.findOneAndUpdate(eq("_id", VERSION), Updates.inc("value", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        long version = ((Number) counter.get("value")).longValue();
        revocations.insertOne(new Document("_id", "v" + version).append("seq", version)
                .append("hash", removed.getString("_id")).append("at", Date.from(now)));
        return Optional.of(new Revoked(removed.getString("_id"), version));
    }

    /** The revocation counter: 0 before the first revocation. */
    long revocationVersion() {
        Document counter = revocations.find(eq("_id", VERSION)).first();
        return counter == null ? 0 : ((Number) counter.get("value")).longValue();
    }

    /** Hashes revoked under counts in (after, upTo], by count; a count still missing here is being written. */
    Map<Long, String> revokedBetween(long after, long upTo) {
        Map<Long, String> revoked = new HashMap<>();
        revocations.find(and(gt("seq", after), lte("seq", upTo)))
                .forEach(d -> revoked.put(((Number) d.get("seq")).longValue(), d.getString("hash")));
        return revoked;
    }

    /** Deletes expired tokens and old revocation log entries. */
    long purge(Instant now) {
        revocations.deleteMany(lt("at", Date.from(now.minus(LOG_KEPT))));
        return tokens.deleteMany(lt("expiresAt", Date.from(now))).getDeletedCount();
    }

    /** Writes last-use times, never moving one back. */
    void touch(Map<String, Instant> lastUsed) {
        lastUsed.forEach((hash, at) -> tokens.updateOne(eq("_id", hash), Updates.max("lastUsed", Date.from(at))));
    }

    /**
     * Tokens issued before ids and expiry existed get both: an id derived from the hash (the same
     * on every control plane doing this at once) and an expiry a TTL after their creation.
     */
    void upgradeOld(Duration ttl, Instant now) {
        for (Document old : tokens.find(exists("id", false))) {
            String hash = old.getString("_id");
            Date created = old.getDate("createdAt");
            Instant expiresAt = created == null ? now : created.toInstant().plus(ttl);
            tokens.updateOne(and(eq("_id", hash), exists("id", false)), Updates.combine(
                    Updates.set("id", "tok_" + Digests.sha256Hex("id:" + hash).substring(0, 20)),
                    Updates.set("expiresAt", Date.from(expiresAt))));
        }
    }

    static String hash(String token) {
        return Digests.sha256Hex(token);
    }

    private static Token token(Document d) {
        Date lastUsed = d.getDate("lastUsed");
        Date expiresAt = d.getDate("expiresAt");
        Date created = d.getDate("createdAt");
        return new Token(d.getString("_id"), d.getString("id"), d.getString("username"),
                created == null ? Instant.EPOCH : created.toInstant(),
                expiresAt == null ? Instant.EPOCH : expiresAt.toInstant(), lastUsed == null ? null : lastUsed.toInstant());
    }
}
