package dev.hearth.controlplane;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;

/**
 * A store of the test's own: mongo-java-server (the engine Hearth embeds) in memory on a loopback
 * port, read with a real driver client of the test's own. A whole Hearth reaches it through
 * {@code HEARTH_MONGO_URI}, never the test through Hearth; a unit test hands the store's classes
 * its {@link #database()}.
 */
public final class OwnStore implements AutoCloseable {

    private final MongoServer server;
    private final MongoClient client;
    private final String uri;

    private OwnStore(MongoServer server) {
        this.server = server;
        this.uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
        this.client = MongoClients.create(uri);
    }

    public static OwnStore start() {
        var server = new MongoServer(H2Backend.inMemory());
        server.bind("127.0.0.1", 0);
        return new OwnStore(server);
    }

    String uri() {
        return uri;
    }

    public MongoDatabase database() {
        return client.getDatabase("hearth");
    }

    /** The GridFS file of the archive with this digest, or null. */
    Document archive(String digest) {
        return database().getCollection("code.files").find(eq("filename", digest)).first();
    }

    long chunksOf(Document archive) {
        return database().getCollection("code.chunks").countDocuments(eq("files_id", archive.getObjectId("_id")));
    }

    long archiveCount() {
        return database().getCollection("code.files").countDocuments();
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
