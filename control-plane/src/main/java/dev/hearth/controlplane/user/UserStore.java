package dev.hearth.controlplane.user;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/** Accounts. Passwords are kept only as bcrypt hashes, made by {@link PasswordHashing}. */
final class UserStore {

    private final MongoCollection<Document> users;

    UserStore(MongoDatabase database) {
        this.users = database.getCollection("users");
    }

    boolean exists(String username) {
        return users.find(eq("_id", username)).projection(Projections.include("_id")).first() != null;
    }

    /** Creates an account; false when the username is taken. */
    boolean create(String username, String passwordHash, Instant now) {
        try {
            users.insertOne(new Document("_id", username)
                    .append("passwordHash", passwordHash)
                    .append("createdAt", Date.from(now)));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** The account's bcrypt hash; empty when there is no such account. */
    Optional<String> passwordHash(String username) {
        return Optional.ofNullable(users.find(eq("_id", username)).first()).map(u -> u.getString("passwordHash"));
    }
}
