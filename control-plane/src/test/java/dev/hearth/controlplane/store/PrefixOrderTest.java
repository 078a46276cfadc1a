package dev.hearth.controlplane.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The (owner, name) unique index answers a page by owner, sorted by name, exactly as
 * mongo-java-server's own backend does by sorting every match: through the real driver, a seeded
 * random run of inserts, renames, moves between owners (and to names that are not strings) and
 * deletes is checked against the plain backend after every few steps, then again once the file
 * is reopened and the order rebuilt from the index's map.
 */
class PrefixOrderTest {

    private static final List<String> OWNERS = List.of("ann", "bob", "cy");

    @TempDir
    Path dir;

    @Test
    void pagesByOwner_answerAsTheStoresOwnSortDoes_throughChangesAndAReopen() {
        var random = new Random(20261203);
        try (var ordered = new Open(new KeyedH2Backend(dir.resolve("ordered.mv").toString()));
             var sorted = new Open(new H2Backend(dir.resolve("sorted.mv").toString()))) {
            for (int step = 0; step < 800; step++) {
                String id = "doc-" + random.nextInt(120);
                String owner = OWNERS.get(random.nextInt(OWNERS.size()));
                Object name = randomName(random);
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        var document = new org.bson.Document("_id", id).append("owner", owner).append("name", name);
                        assertEquals(insert(sorted.functions, document), insert(ordered.functions, document), "insert " + document);
                    }
                    case 2 -> {
                        Bson change = Updates.combine(Updates.set("owner", owner), Updates.set("name", name));
                        assertEquals(update(sorted.functions, id, change), update(ordered.functions, id, change), "update " + id);
                    }
                    default -> {
                        ordered.functions.deleteOne(eq("_id", id));
                        sorted.functions.deleteOne(eq("_id", id));
                    }
                }
                if (step % 20 == 0) {
                    assertSamePages(ordered, sorted, random);
                }
            }
            assertSamePages(ordered, sorted, random);
        }
        try (var reopened = new Open(new KeyedH2Backend(dir.resolve("ordered.mv").toString()));
             var sorted = new Open(new H2Backend(dir.resolve("sorted.mv").toString()))) {
            assertSamePages(reopened, sorted, random);
            reopened.functions.deleteMany(eq("owner", "ann"));
            sorted.functions.deleteMany(eq("owner", "ann"));
            assertSamePages(reopened, sorted, random);
        }
    }

    @Test
    void anOwnersPositions_comeInNameOrder_narrowedToTheRange_andOnlyWhileEveryNameIsAString() {
        var order = new PrefixOrder("owner", "name");
        order.add(new KeyValue("ann", "b"), "2");
        order.add(new KeyValue("ann", "a"), "1");
        order.add(new KeyValue("ann", "c"), "3");
        order.add(new KeyValue("bob", "a"), "4");
        order.add(new KeyValue(7, "a"), "5");

        assertEquals(List.of("1", "2", "3"), positions(order, new Document("owner", "ann")));
        assertEquals(List.of("2", "3"), positions(order, new Document("owner", "ann").append("name", new Document("$gt", "a"))));
        assertEquals(List.of("2"), positions(order, new Document("owner", "ann").append("name", new Document("$gte", "b").append("$lt", "c"))));
        assertEquals(List.of("2"), positions(order, new Document("owner", "ann").append("name", "b")));
        // Bounds that do not nest narrow nothing: the store's matcher applies them.
        assertEquals(List.of("1", "2", "3"), positions(order, new Document("owner", "ann").append("name", new Document("$gt", "c").append("$gte", "a"))));
        assertEquals(List.of(), positions(order, new Document("owner", "dee")));
        assertFalse(order.canHandle(new Document("owner", 7)));
        assertFalse(order.canHandle(new Document("name", "a")));

        order.add(new KeyValue("ann", 12), "6");
        assertFalse(order.canHandle(new Document("owner", "ann")), "a name that is not a string: no order to give");
        assertTrue(order.canHandle(new Document("owner", "bob")));
        order.remove(new KeyValue("ann", 12));
        assertTrue(order.canHandle(new Document("owner", "ann")));
        order.remove(new KeyValue("ann", "b"));
        assertEquals(List.of("1", "3"), positions(order, new Document("owner", "ann")));
        assertEquals(OptionalLong.of(2), order.count("ann"));
        order.leaveToOthers("bob");
        assertEquals(OptionalLong.empty(), order.count("bob"), "a document with two names: keys do not count documents");
        assertEquals(OptionalLong.of(0), order.count("dee"));
    }

    @Test
    void positionsInNameOrder_spareTheSortByName_aloneOrAfterTheOwner_ascendingOnly() {
        var ordered = new PrefixOrder("owner", "name").positions(new Document("owner", "ann"));
        assertTrue(ordered.sortedBy(null));
        assertTrue(ordered.sortedBy(new Document()));
        assertTrue(ordered.sortedBy(new Document("name", 1)));
        assertTrue(ordered.sortedBy(new Document("owner", 1).append("name", 1.0)));
        assertFalse(ordered.sortedBy(new Document("name", -1)));
        assertFalse(ordered.sortedBy(new Document("owner", 1)));
        assertFalse(ordered.sortedBy(new Document("name", 1).append("_id", 1)));
        assertFalse(ordered.sortedBy(new Document("createdAt", 1)));
    }

    private static List<Object> positions(PrefixOrder order, Document query) {
        assertTrue(order.canHandle(query), query.toString());
        List<Object> positions = new ArrayList<>();
        order.positions(query).forEach(positions::add);
        return positions;
    }

    /** A name, now and then one that is not a string (a number, none at all). */
    private static Object randomName(Random random) {
        return switch (random.nextInt(15)) {
            case 0 -> 42;
            case 1 -> null;
            case 2 -> List.of("fn-" + (char) ('a' + random.nextInt(26)), "fn-" + (char) ('a' + random.nextInt(26)) + "-2");
            default -> "fn-" + (char) ('a' + random.nextInt(26)) + random.nextInt(30);
        };
    }

    private static boolean insert(MongoCollection<org.bson.Document> functions, org.bson.Document document) {
        try {
            functions.insertOne(new org.bson.Document(document));
            return true;
        } catch (MongoWriteException duplicate) {
            return false;
        }
    }

    private static String update(MongoCollection<org.bson.Document> functions, String id, Bson change) {
        try {
            return "matched " + functions.updateOne(eq("_id", id), change).getMatchedCount();
        } catch (MongoWriteException duplicate) {
            return "refused";
        }
    }

    private static void assertSamePages(Open orderedStore, Open sortedStore, Random random) {
        MongoCollection<org.bson.Document> ordered = orderedStore.functions;
        MongoCollection<org.bson.Document> sorted = sortedStore.functions;
        for (String owner : OWNERS) {
            String from = "fn-" + (char) ('a' + random.nextInt(26));
            String name = "fn-" + (char) ('a' + random.nextInt(26)) + random.nextInt(30);
            String id = "doc-" + random.nextInt(120);
            for (Bson filter : List.of(eq("owner", owner), and(eq("owner", owner), gt("name", from)),
                    and(eq("owner", owner), gte("name", from), lt("name", "fn-q")),
                    // Every field of a unique index given exactly, beside other conditions.
                    and(eq("owner", owner), eq("name", name), exists("_id")), and(eq("_id", id), eq("owner", owner)))) {
                for (int limit : List.of(0, 1, 7)) {
                    assertEquals(page(sorted, filter, Sorts.ascending("name"), limit), page(ordered, filter, Sorts.ascending("name"), limit),
                            filter + " limit " + limit);
                }
                assertEquals(page(sorted, filter, Sorts.ascending("owner", "name"), 5), page(ordered, filter, Sorts.ascending("owner", "name"), 5));
                assertEquals(page(sorted, filter, Sorts.descending("name"), 5), page(ordered, filter, Sorts.descending("name"), 5));
                assertEquals(sorted.countDocuments(filter), ordered.countDocuments(filter));
            }
            // The count command: one owner's functions counted from the index's keys alone.
            assertEquals(Store.count(sortedStore.database, sorted, eq("owner", owner)),
                    Store.count(orderedStore.database, ordered, eq("owner", owner)), "count of " + owner);
            assertEquals(sorted.countDocuments(eq("owner", owner)), Store.count(orderedStore.database, ordered, eq("owner", owner)));
        }
    }

    private static List<Object> page(MongoCollection<org.bson.Document> functions, Bson filter, Bson sort, int limit) {
        List<Object> ids = new ArrayList<>();
        functions.find(filter).sort(sort).limit(limit).forEach(d -> ids.add(d.get("_id") + "=" + d.get("name")));
        return ids;
    }

    /** A server on the backend, a client, and the collection with its unique (owner, name) index. */
    private static final class Open implements AutoCloseable {
        final H2Backend backend;
        final MongoServer server;
        final MongoClient client;
        final MongoDatabase database;
        final MongoCollection<org.bson.Document> functions;

        Open(H2Backend backend) {
            this.backend = backend;
            this.server = new MongoServer(backend);
            var address = server.bind();
            this.client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
            this.database = client.getDatabase("hearth");
            this.functions = database.getCollection("functions");
            functions.createIndex(Indexes.ascending("owner", "name"), new IndexOptions().unique(true).name("owner_name"));
        }

        @Override
        public void close() {
            client.close();
            server.shutdownNow();
            backend.close();
        }
    }
}
