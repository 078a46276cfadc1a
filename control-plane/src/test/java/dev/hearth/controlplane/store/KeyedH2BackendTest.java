package dev.hearth.controlplane.store;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeyedH2Backend} reads and writes the very file the plain H2 backend does: a store
 * written by one finds every record, and refuses every duplicate, through the other.
 */
class KeyedH2BackendTest {

    @TempDir
    Path dir;

    @Test
    void aFileWrittenByThePlainBackend_isFoundAndExtendedByTheKeyedOne_andReadBackByThePlainOne() {
        String file = dir.resolve("store.mv").toString();
        List<String> first = ids("a", 1500);
        List<String> second = ids("b", 1500);

        withCollection(H2Backend::new, file, records -> insert(records, first));
        withCollection(KeyedH2Backend::new, file, records -> {
            first.forEach(id -> assertNotNull(records.find(eq("_id", id)).first(), id));
            assertDuplicate(records, first.get(700));
            insert(records, second);
            assertEquals(3000, records.countDocuments());
        });
        withCollection(H2Backend::new, file, records -> {
            first.forEach(id -> assertNotNull(records.find(eq("_id", id)).first(), id));
            second.forEach(id -> assertNotNull(records.find(eq("_id", id)).first(), id));
            assertDuplicate(records, second.get(3));
        });
    }

    /** Ids as InvocationIds makes them: time-ordered, with a random tail; inserted out of order. */
    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(String.format("%s1a235c0-%04x-7%03x-%08x", prefix, (i * 7919) % 0x10000, i % 0x1000, i * 2654435761L % 0x100000000L));
        }
        return ids;
    }

    private static void insert(MongoCollection<Document> records, List<String> ids) {
        for (int i = 0; i < ids.size(); i += 100) {
            records.insertMany(ids.subList(i, Math.min(ids.size(), i + 100)).stream()
                    .map(id -> new Document("_id", id).append("n", id.length())).toList());
        }
    }

    private static void assertDuplicate(MongoCollection<Document> records, String id) {
        var e = assertThrows(MongoWriteException.class, () -> records.insertOne(new Document("_id", id)));
        assertEquals(ErrorCategory.DUPLICATE_KEY, ErrorCategory.fromErrorCode(e.getCode()));
    }

    private static void withCollection(Function<String, H2Backend> backends, String file, Consumer<MongoCollection<Document>> use) {
        H2Backend backend = backends.apply(file);
        var server = new MongoServer(backend);
        try {
            var address = server.bind();
            try (var client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
                use.accept(client.getDatabase("hearth").getCollection("invocations"));
            }
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }
}
