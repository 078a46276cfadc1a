package dev.hearth.controlplane.route;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import java.security.SecureRandom;
import java.util.Optional;
import org.bson.Document;

/** The {@code function_urls} collection: one URL per function at most, found by its id or its function. */
final class FunctionUrlStore {

    /** 160 random bits, lower-case base32: not guessable, safe in a path and a host name. */
    private static final int ID_BYTES = 20;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final MongoCollection<Document> urls;
    private final SecureRandom random = new SecureRandom();

    FunctionUrlStore(MongoDatabase database) {
        this.urls = database.getCollection("function_urls");
        urls.createIndex(Indexes.ascending("functionId"), new IndexOptions().unique(true).name("by_function"));
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z2-7]{32}");

    /** Whether {@code id} has the form ids are drawn in. */
    static boolean isId(String id) {
        return ID.matcher(id).matches();
    }

    /** A new random id. */
    String newId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        StringBuilder id = new StringBuilder(32);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                id.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return id.toString();
    }

    /** Writes the function's URL, keeping its id when it has one already. */
    void put(FunctionUrl url) {
        urls.replaceOne(eq("functionId", url.functionId()), url.toDocument(), new ReplaceOptions().upsert(true));
    }

    Optional<FunctionUrl> byId(String id) {
        return Optional.ofNullable(urls.find(eq("_id", id)).first()).map(FunctionUrl::fromDocument);
    }

    Optional<FunctionUrl> byFunction(String functionId) {
        return Optional.ofNullable(urls.find(eq("functionId", functionId)).first()).map(FunctionUrl::fromDocument);
    }

    boolean delete(String functionId) {
        return urls.deleteOne(eq("functionId", functionId)).getDeletedCount() == 1;
    }
}
