package dev.hearth.controlplane.user;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import dev.hearth.poolmanager.code.Digests;
import org.bson.Document;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Accounts and API tokens. Passwords are kept only as bcrypt hashes; a token is shown once,
 * at creation, and kept only as its SHA-256, so a leaked database grants nobody access.
 */
public final class UserStore {

    private static final int BCRYPT_COST = 10;
    /** Hashed when the user does not exist, so a login costs the same either way. */
    private static final String DUMMY_HASH = BCrypt.hashpw("no such user", BCrypt.gensalt(BCRYPT_COST));

    private final MongoCollection<Document> users;
    private final MongoCollection<Document> tokens;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public UserStore(MongoDatabase database, Clock clock) {
        this.users = database.getCollection("users");
        this.tokens = database.getCollection("tokens");
        this.clock = clock;
        tokens.createIndex(Indexes.ascending("username"), new IndexOptions().name("by_user"));
    }

    /** Creates an account; false when the username is taken. */
    public boolean create(String username, String password) {
        try {
            users.insertOne(new Document("_id", username)
                    .append("passwordHash", BCrypt.hashpw(password, BCrypt.gensalt(BCRYPT_COST)))
                    .append("createdAt", Date.from(clock.instant())));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Checks a password; the same bcrypt work is done whether or not the user exists. */
    public boolean verify(String username, String password) {
        Document user = users.find(eq("_id", username)).first();
        String hash = user == null ? DUMMY_HASH : user.getString("passwordHash");
        boolean matches = BCrypt.checkpw(password, hash);
        return user != null && matches;
    }

    /** Issues a new random token for the user; the caller sees it once. */
    public String issueToken(String username) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = "hth_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        tokens.insertOne(new Document("_id", hash(token))
                .append("username", username)
                .append("createdAt", Date.from(clock.instant())));
        return token;
    }

    /** The owner of a token, looked up by its hash. */
    public Optional<String> tokenOwner(String tokenHash) {
        Document token = tokens.find(eq("_id", tokenHash)).first();
        return Optional.ofNullable(token).map(t -> t.getString("username"));
    }

    static String hash(String token) {
        return Digests.sha256Hex(token);
    }
}
