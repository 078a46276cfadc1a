package dev.hearth.controlplane.async;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;

/** The embedded store's engine in memory, reached in-process over loopback through the real driver, as Hearth reaches it. */
final class InMemoryStore implements AutoCloseable {

    private final MongoServer server = new MongoServer(H2Backend.inMemory());
    private final MongoClient client;

    InMemoryStore() {
        server.bind("127.0.0.1", 0);
        this.client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
    }

    MongoCollection<Document> async() {
        return client.getDatabase("hearth").getCollection("async");
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
