package dev.hearth.controlplane.user;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.exists;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.hearth.controlplane.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS-style access keys, for clients that sign their requests with SigV4 (the Lambda Invoke API).
 * A key is an id ({@code HKIA} and 16 characters, 20 in all, as AWS's {@code AKIA…} ids) and a
 * 40-character secret, shown to its user once at issue. SigV4 verification needs the secret
 * itself, so it is stored sealed ({@link SecretSealing}: AES-GCM under a key in the data folder),
 * never hashed and never logged. Every lookup reads the store, so a deleted key is refused at
 * once on every control plane sharing it.
 */
public final class AccessKeys {

    private static final Logger log = LoggerFactory.getLogger(AccessKeys.class);
    /** How many keys one user may hold at once. */
    static final int MAX_PER_USER = 10;
    /** Last use is written at most this often per key: a signed call costs a store read, rarely a write. */
    static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);
    private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    static final String ID_PREFIX = "HKIA";

    /** A key as its owner sees it listed: never its secret. */
    record Listed(String accessKeyId, Instant created, Instant lastUsed) {}

    /** A new key: the secret is shown once. */
    record Issued(String accessKeyId, String secretAccessKey, Instant created) {}

    /** A key as a signature check needs it. */
    public record Key(String accessKeyId, String owner, String secretAccessKey) {}

    private final MongoCollection<Document> keys;
    private final MongoDatabase database;
    private final SecretSealing sealing;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AccessKeys(MongoDatabase database, SecretSealing sealing, Clock clock) {
        this.database = database;
        this.keys = database.getCollection("access_keys");
        this.sealing = sealing;
        this.clock = clock;
        keys.createIndex(Indexes.ascending("username"), new IndexOptions().name("by_user"));
    }

    /** The keys of the store, their secrets sealed under {@code dataDir}'s key file (made on first use). */
    public static AccessKeys open(MongoDatabase database, Path dataDir, Clock clock) throws IOException {
        return new AccessKeys(database, SecretSealing.inFolder(dataDir), clock);
    }

    /** Empty when the user holds {@link #MAX_PER_USER} keys already. */
    Optional<Issued> issue(String username) {
        if (Store.count(database, keys, eq("username", username)) >= MAX_PER_USER) {
            return Optional.empty();
        }
        String id = newId();
        byte[] secretBytes = new byte[30];
        random.nextBytes(secretBytes);
        String secret = Base64.getEncoder().encodeToString(secretBytes);
        Instant now = clock.instant();
        keys.insertOne(new Document("_id", id).append("username", username)
                .append("secret", new Binary(sealing.seal(secret, id))).append("createdAt", Date.from(now)));
        return Optional.of(new Issued(id, secret, now));
    }

    List<Listed> list(String username) {
        List<Listed> list = new ArrayList<>();
        keys.find(eq("username", username)).sort(Sorts.descending("createdAt")).limit(MAX_PER_USER * 2).forEach(d -> {
            Date lastUsed = d.getDate("lastUsed");
            list.add(new Listed(d.getString("_id"), d.getDate("createdAt").toInstant(),
                    lastUsed == null ? null : lastUsed.toInstant()));
        });
        return list;
    }

    /** False when the user has no key with that id. */
    boolean revoke(String username, String accessKeyId) {
        return keys.deleteOne(and(eq("_id", accessKeyId), eq("username", username))).getDeletedCount() == 1;
    }

    /**
     * The key with this id and its secret; empty for an unknown or revoked id. Notes its use.
     *
     * @throws IllegalStateException when the stored secret does not open (the data folder's key file is not the one that sealed it)
     */
    public Optional<Key> find(String accessKeyId) {
        if (!isWellFormed(accessKeyId)) {
            return Optional.empty();
        }
        Document d = keys.find(eq("_id", accessKeyId)).first();
        if (d == null) {
            return Optional.empty();
        }
        String secret;
        try {
            secret = sealing.open(d.get("secret", Binary.class).getData(), accessKeyId);
        } catch (GeneralSecurityException e) {
            log.warn("access key {} does not open with this data folder's {}: control planes sharing a store must share it",
                    accessKeyId, SecretSealing.KEY_FILE);
            throw new IllegalStateException("access key secret does not open");
        }
        Instant now = clock.instant();
        Date lastUsed = d.getDate("lastUsed");
        if (lastUsed == null || lastUsed.toInstant().plus(LAST_USED_EVERY).isBefore(now)) {
            keys.updateOne(and(eq("_id", accessKeyId), or(exists("lastUsed", false), lt("lastUsed", Date.from(now)))),
                    Updates.set("lastUsed", Date.from(now)));
        }
        return Optional.of(new Key(accessKeyId, d.getString("username"), secret));
    }

    static boolean isWellFormed(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.length() != 20 || !accessKeyId.startsWith(ID_PREFIX)) {
            return false;
        }
        for (int i = ID_PREFIX.length(); i < accessKeyId.length(); i++) {
            char c = accessKeyId.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }

    private String newId() {
        StringBuilder id = new StringBuilder(ID_PREFIX);
        for (int i = 0; i < 16; i++) {
            id.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }
}
