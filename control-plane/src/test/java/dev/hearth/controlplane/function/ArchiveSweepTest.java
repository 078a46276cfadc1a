package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBuckets;
import dev.hearth.controlplane.OwnStore;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.fakes.MutableClock;
import dev.hearth.poolmanager.support.Digests;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's archive sweep, through the real MongoDB driver against a mongo-java-server of the
 * test's own, with a clock the test moves: what is referenced stays, what is unreferenced goes
 * exactly after the grace, a put racing the sweep keeps or re-uploads its archive, and two
 * control planes sweeping at once delete each archive once.
 */
class ArchiveSweepTest {

    static final Duration GRACE = Duration.ofMinutes(10);

    OwnStore store;
    MongoDatabase database;
    // Starts at the real time: GridFS stamps uploadDate with it, and old archives are judged by it.
    final MutableClock clock = new MutableClock(Instant.now());
    CodeStore code;
    FunctionStore functions;
    List<String> forgotten = new ArrayList<>();
    ArchiveSweep sweep;

    @BeforeEach
    void start() {
        store = OwnStore.start();
        database = store.database();
        code = new CodeStore(database, clock);
        functions = new FunctionStore(database);
        sweep = new ArchiveSweep(functions, code, forgotten::add, GRACE, clock);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    static byte[] archive(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static FunctionRecord function(String name, String source, String code, FunctionRecord pending) {
        var workload = new StoredWorkload.Source(Language.PYTHON, "main.handler", source, 10, code, 10);
        var settings = new FunctionSettings(128, 3000, 0, Map.of(), false, 0);
        return new FunctionRecord(name + "-id", "olga", name, 1, workload, settings, FunctionRecord.Status.READY, null,
                Instant.EPOCH, pending, null, null, null, null);
    }

    long chunks() {
        return database.getCollection("code.chunks").countDocuments();
    }

    @Test
    void run_deletesOnlyUnreferencedArchives_exactlyAtTheEndOfTheGrace() throws Exception {
        String serving = code.put(archive("serving"));
        String pendingSource = code.put(archive("pending source"));
        String pendingOutput = code.put(archive("pending output"));
        String orphan = code.put(archive("nobody's"));
        FunctionRecord pending = function("f", pendingSource, pendingOutput, null);
        assertTrue(functions.insert(function("f", serving, serving, pending)));

        clock.advance(GRACE.minusMillis(1));
        assertEquals(0, sweep.run());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, sweep.run());

        assertFalse(code.holds(orphan));
        assertEquals(List.of(orphan), forgotten, "builds that made it are forgotten");
        for (String kept : List.of(serving, pendingSource, pendingOutput)) {
            try (InputStream in = code.open(kept)) {
                assertTrue(in.readAllBytes().length > 0);
            }
        }
        assertEquals(3, chunks(), "the orphan's chunk went with its file");

        functions.delete("olga", "f");
        clock.advance(GRACE);
        assertEquals(3, sweep.run(), "once the function is gone, its code goes");
        assertEquals(0, chunks());
    }

    @Test
    void put_ofAnArchiveTheSweepIsAboutToDelete_touchesIt_soItStays() throws Exception {
        byte[] zip = archive("contested");
        String digest = code.put(zip);
        clock.advance(GRACE.plusSeconds(1));
        Instant cutoff = clock.instant().minus(GRACE);
        List<CodeStore.Stored> candidates = code.untouchedSince(cutoff);
        assertEquals(1, candidates.size());

        // Another request stores the same archive between the sweep's listing and its deletion.
        assertEquals(digest, code.put(zip));
        assertFalse(code.deleteIfUntouched(candidates.get(0).id(), cutoff));
        try (InputStream in = code.open(digest)) {
            assertArrayEquals(zip, in.readAllBytes());
        }
    }

    @Test
    void put_afterTheSweepDeletedTheArchive_uploadsItAgain() throws Exception {
        byte[] zip = archive("back again");
        String digest = code.put(zip);
        clock.advance(GRACE);
        assertEquals(1, sweep.run());
        assertFalse(code.touch(digest), "gone: a touch finds nothing");

        assertEquals(digest, code.put(zip));
        try (InputStream in = code.open(digest)) {
            assertArrayEquals(zip, in.readAllBytes());
        }
    }

    @Test
    void run_twoControlPlanesAtOnce_deleteEachArchiveOnce() throws Exception {
        for (int i = 0; i < 30; i++) {
            code.put(archive("archive " + i));
        }
        clock.advance(GRACE);
        var otherCode = new CodeStore(database, clock);
        var other = new ArchiveSweep(new FunctionStore(database), otherCode, d -> {}, GRACE, clock);
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> runs = List.of(sweep::run, other::run);
            int deleted = 0;
            for (Future<Integer> f : both.invokeAll(runs, 60, TimeUnit.SECONDS)) {
                deleted += f.get();
            }
            assertEquals(30, deleted, "each archive deleted by exactly one of them");
        } finally {
            both.shutdownNow();
        }
        assertEquals(0, database.getCollection("code.files").countDocuments());
        assertEquals(0, chunks());
    }

    @Test
    void run_archivesStoredBeforeLastUseWasKept_countFromTheirUpload_untilTouched() {
        var bucket = GridFSBuckets.create(database, "code");
        bucket.uploadFromStream(Digests.sha256Hex(archive("old")), new ByteArrayInputStream(archive("old")));
        bucket.uploadFromStream(Digests.sha256Hex(archive("reused")), new ByteArrayInputStream(archive("reused")));
        clock.advance(GRACE.plusSeconds(5));
        code.put(archive("reused"));
        assertEquals(1, sweep.run());
        assertFalse(code.holds(Digests.sha256Hex(archive("old"))));
        assertTrue(code.holds(Digests.sha256Hex(archive("reused"))), "a put of an old archive stamps it");
    }

    @Test
    void run_deletesChunksLeftWithoutTheirFile_onlyOnceTheirUploadIsLongPast() {
        var chunks = database.getCollection("code.chunks");
        ObjectId leftByACrash = new ObjectId(Date.from(clock.instant().minus(Duration.ofDays(2))));
        ObjectId uploading = new ObjectId(Date.from(clock.instant()));
        chunks.insertOne(new Document("files_id", leftByACrash).append("n", 0).append("data", new byte[10]));
        chunks.insertOne(new Document("files_id", uploading).append("n", 0).append("data", new byte[10]));

        sweep.run();
        assertEquals(0, chunks.countDocuments(eq("files_id", leftByACrash)));
        assertEquals(1, chunks.countDocuments(eq("files_id", uploading)), "an upload still running writes its chunks first");
    }
}
