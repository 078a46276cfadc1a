package dev.hearth.controlplane.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FieldIndex} answers every query exactly as a full scan does: through the real driver, a
 * seeded random run of inserts, updates that move documents between owners (and to values that
 * are not strings) and deletes is checked after every step against mongo-java-server's own
 * backend, which scans; then the file is reopened and the index, rebuilt from it, is checked
 * again. And a lookup offers only the value's documents and the unkeyed ones.
 */
class FieldIndexTest {

    /** One of the collections whose non-unique indexes the backend keeps. */
    private static final String COLLECTION = "functions";
    private static final List<Object> OWNERS = List.of("ann", "bob", "cy", "dee", "ed");

    @TempDir
    Path dir;

    @Test
    void everyQueryByOwner_answersAsAFullScanDoes_throughChangesAndAReopen() {
        var random = new Random(20261202);
        try (var indexed = new Open(new KeyedH2Backend(dir.resolve("indexed.mv").toString()));
             var scanned = new Open(new H2Backend(dir.resolve("scanned.mv").toString()))) {
            for (int step = 0; step < 600; step++) {
                String id = "doc-" + random.nextInt(150);
                Object owner = randomOwner(random);
                int n = random.nextInt(3);
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        if (indexed.things.find(eq("_id", id)).first() == null) {
                            indexed.things.insertOne(new org.bson.Document("_id", id).append("owner", owner).append("n", n));
                            scanned.things.insertOne(new org.bson.Document("_id", id).append("owner", owner).append("n", n));
                        }
                    }
                    case 2 -> {
                        indexed.things.updateOne(eq("_id", id), Updates.combine(Updates.set("owner", owner), Updates.set("n", n)));
                        scanned.things.updateOne(eq("_id", id), Updates.combine(Updates.set("owner", owner), Updates.set("n", n)));
                    }
                    default -> {
                        indexed.things.deleteOne(eq("_id", id));
                        scanned.things.deleteOne(eq("_id", id));
                    }
                }
                if (step % 25 == 0) {
                    assertSameAnswers(indexed.things, scanned.things);
                }
            }
            assertSameAnswers(indexed.things, scanned.things);
        }
        try (var reopened = new Open(new KeyedH2Backend(dir.resolve("indexed.mv").toString()));
             var scanned = new Open(new H2Backend(dir.resolve("scanned.mv").toString()))) {
            assertSameAnswers(reopened.things, scanned.things);
            reopened.things.deleteMany(eq("owner", "ann"));
            scanned.things.deleteMany(eq("owner", "ann"));
            assertSameAnswers(reopened.things, scanned.things);
        }
    }

    @Test
    void aLookup_offersTheValuesPositions_andTheUnkeyedOnes_only() {
        var index = new FieldIndex("by_owner", List.of(new IndexKey("owner", true)), false, "_id");
        index.add(new Document("_id", "1").append("owner", "ann"), "1", null);
        index.add(new Document("_id", "2").append("owner", "bob"), "2", null);
        index.add(new Document("_id", "3").append("owner", List.of("ann", "bob")), "3", null);
        index.add(new Document("_id", "4"), "4", null);
        assertTrue(index.canHandle(new Document("owner", "ann")));
        assertTrue(!index.canHandle(new Document("owner", new Document("$in", List.of("ann")))));
        assertTrue(!index.canHandle(new Document("name", "x")));
        assertEquals(List.of("1", "3", "4"), positions(index, "ann"));

        index.updateInPlace(new Document("_id", "1").append("owner", "ann"), new Document("_id", "1").append("owner", "bob"), "1", null);
        assertEquals(List.of("3", "4"), positions(index, "ann"));
        assertEquals(List.of("2", "1", "3", "4"), positions(index, "bob"));
        assertEquals("2", index.remove(new Document("_id", "2").append("owner", "bob")));
        assertEquals(List.of("1", "3", "4"), positions(index, "bob"));
        assertEquals(3, index.getCount());
    }

    private static List<Object> positions(FieldIndex index, String owner) {
        List<Object> positions = new ArrayList<>();
        index.getPositions(new Document("owner", owner)).forEach(positions::add);
        return positions;
    }

    /** An owner, now and then one that is not a single string: an array holding one, a number, none at all. */
    private static Object randomOwner(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> List.of("ann", "zed");
            case 1 -> 42;
            case 2 -> null;
            default -> OWNERS.get(random.nextInt(OWNERS.size()));
        };
    }

    private static void assertSameAnswers(MongoCollection<org.bson.Document> indexed, MongoCollection<org.bson.Document> scanned) {
        for (Object owner : OWNERS) {
            assertEquals(ids(scanned, eq("owner", owner)), ids(indexed, eq("owner", owner)), "owner " + owner);
            assertEquals(ids(scanned, and(eq("owner", owner), eq("n", 1))), ids(indexed, and(eq("owner", owner), eq("n", 1))));
            assertEquals(scanned.countDocuments(eq("owner", owner)), indexed.countDocuments(eq("owner", owner)));
            List<Object> sortedScan = new ArrayList<>();
            scanned.find(eq("owner", owner)).sort(Sorts.descending("_id")).limit(3).forEach(d -> sortedScan.add(d.get("_id")));
            List<Object> sortedIndexed = new ArrayList<>();
            indexed.find(eq("owner", owner)).sort(Sorts.descending("_id")).limit(3).forEach(d -> sortedIndexed.add(d.get("_id")));
            assertEquals(sortedScan, sortedIndexed);
        }
        assertEquals(ids(scanned, eq("owner", 42)), ids(indexed, eq("owner", 42)));
        assertEquals(scanned.countDocuments(), indexed.countDocuments());
    }

    private static Set<Object> ids(MongoCollection<org.bson.Document> things, org.bson.conversions.Bson filter) {
        Set<Object> ids = new TreeSet<>();
        things.find(filter).forEach(d -> ids.add(d.get("_id")));
        return ids;
    }

    /** A server on the backend, a client, and the collection with its owner index. */
    private static final class Open implements AutoCloseable {
        final H2Backend backend;
        final MongoServer server;
        final MongoClient client;
        final MongoCollection<org.bson.Document> things;

        Open(H2Backend backend) {
            this.backend = backend;
            this.server = new MongoServer(backend);
            var address = server.bind();
            this.client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
            this.things = client.getDatabase("hearth").getCollection(COLLECTION);
            things.createIndex(Indexes.ascending("owner"), new IndexOptions().name("by_owner"));
        }

        @Override
        public void close() {
            client.close();
            server.shutdownNow();
            backend.close();
        }
    }
}
