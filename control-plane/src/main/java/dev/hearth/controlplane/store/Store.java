package dev.hearth.controlplane.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.hearth.controlplane.DataFolder;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB database Hearth keeps its state in. Given no URI it runs the embedded
 * mongo-java-server with its H2 backend in the data folder, on a loopback port, and reaches it
 * through the same real driver as a remote MongoDB: there is one code path for both.
 */
public final class Store implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final String DATABASE = "hearth";

    private final MongoServer embedded;
    private final H2Backend backend;
    private final MongoClient client;
    private final MongoDatabase database;

    private Store(MongoServer embedded, H2Backend backend, MongoClient client) {
        this.embedded = embedded;
        this.backend = backend;
        this.client = client;
        this.database = client.getDatabase(DATABASE);
    }

    /** Connects to {@code mongoUri}, or with a null URI opens the embedded store under {@code dataDir}. */
    public static Store open(String mongoUri, Path dataDir) throws IOException {
        if (mongoUri != null) {
            log.info("store: MongoDB at {}", redact(mongoUri));
            return new Store(null, null, MongoClients.create(mongoUri));
        }
        Path file = DataFolder.ownerOnlyFolder(dataDir.resolve("store")).resolve("hearth.mv");
        var backend = new H2Backend(file.toString());
        try {
            // H2 creates the file with the umask's mode; the 0700 folder already keeps others out.
            DataFolder.ownerOnlyFile(file);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        var server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        log.info("store: embedded, file {}", file);
        return new Store(server, backend, MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort()));
    }

    public MongoDatabase database() {
        return database;
    }

    private static String redact(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void close() {
        client.close();
        if (embedded != null) {
            embedded.shutdown();
            backend.close();
        }
    }
}
