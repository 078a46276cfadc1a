package dev.hearth.controlplane.store;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB database Hearth keeps its state in. Given no URI it runs the embedded
 * mongo-java-server with its H2 backend in the data folder, on a loopback port, and reaches it
 * through the same real driver as a remote MongoDB: there is one code path for both.
 *
 * <p>The embedded store is this process's alone: its file is 0600 in a 0700 folder, and its port
 * serves only connections that authenticate with a password drawn at each start and never
 * written anywhere ({@link AuthenticatingBackend}), so another local process, root included,
 * gets nothing from the port without reading this process's memory.
 */
public final class Store implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final String DATABASE = "hearth";
    private static final String USER = "hearth";
    private static final String SOURCE = "$external";


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

    /**
     * Connects to {@code mongoUri}, or with a null URI opens the embedded store under
     * {@code dataDir} (which the caller has made private: {@link DataFolder#ownerOnlyFolder}).
     */
    public static Store open(String mongoUri, Path dataDir) throws IOException {
        if (mongoUri != null) {
            log.info("store: MongoDB at {}", redact(mongoUri));
            return new Store(null, null, MongoClients.create(mongoUri));
        }
        Path file = DataFolder.ownerOnlyFolder(dataDir.resolve("store")).resolve("hearth.mv");
        var backend = new KeyedH2Backend(file.toString());
        MongoServer server = null;
        try {
            // H2 creates the file with the umask's mode; the 0700 folder already keeps others out.
            DataFolder.ownerOnlyFile(file);
            String password = secret();
            server = new MongoServer(new AuthenticatingBackend(backend, USER, password));
            server.bind("127.0.0.1", 0);
            int port = server.getLocalAddress().getPort();
            var settings = MongoClientSettings.builder()
                    .applyToClusterSettings(cluster -> cluster.hosts(List.of(new ServerAddress("127.0.0.1", port))))
                    .credential(MongoCredential.createPlainCredential(USER, SOURCE, password.toCharArray()))
                    .build();
            log.info("store: embedded on 127.0.0.1:{} (authenticated), file {}", port, file);
            return new Store(server, backend, MongoClients.create(settings));
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.shutdownNow();
            }
            backend.close();
            throw e;
        }
    }

    public MongoDatabase database() {
        return database;
    }

    /**
     * The loopback port of the embedded store, empty with {@code HEARTH_MONGO_URI}: what a
     * client that is not Hearth would dial (tests prove it is refused there).
     */
    public OptionalInt embeddedPort() {
        return embedded == null ? OptionalInt.empty() : OptionalInt.of(embedded.getLocalAddress().getPort());
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

    /**
     * How many documents of {@code collection} (in {@code database}) match {@code filter}, by the
     * {@code count} command: the driver's {@code countDocuments} is an aggregation, which the
     * embedded store answers by reading every document, whatever the indexes, where the command
     * is served by them (one owner's functions from the (owner, name) index's keys alone). For
     * filters whose matches users' quotas bound (an owner's functions, routes, keys).
     */
    public static long count(MongoDatabase database, MongoCollection<Document> collection, Bson filter) {
        Document answer = database.runCommand(new Document("count", collection.getNamespace().getCollectionName())
                .append("query", filter.toBsonDocument(Document.class, collection.getCodecRegistry())));
        return answer.get("n", Number.class).longValue();
    }
}
