package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.controlplane.OwnStore;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.Language;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The code quota's counts ({@link ArchiveUsage}) say what reading every version would: through
 * the real driver, a seeded random run of versions written, rebuilt (their build output changing
 * or appearing), deleted one by one and with their function, over owners whose versions share
 * archives (and one archive shared across owners), is checked after every step against a sum
 * made from all the owner's versions; then a store whose counts are dropped is counted again
 * from its versions when it opens.
 */
class ArchiveUsageTest {

    static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");
    static final List<String> OWNERS = List.of("ann", "bob", "cy");

    OwnStore own;
    VersionStore versions;

    @BeforeEach
    void start() {
        own = OwnStore.start();
        versions = new VersionStore(own.database());
    }

    @AfterEach
    void stop() {
        own.close();
    }

    /** An archive's size: its digest's, as a content-addressed store's is. */
    private static long size(String digest) {
        return 10 + Math.abs(digest.hashCode() % 97);
    }

    private static FunctionRecord version(String owner, int function, long n, String source, String code) {
        var workload = new StoredWorkload.Source(Language.PYTHON, "main.handler", source, size(source), code, code == null ? 0 : size(code));
        var settings = new FunctionSettings(128, 1000, 0, Map.of(), false, 0);
        return FunctionRecord.defined(owner + "-f" + function, owner, "f" + function, n, workload, settings, null, T0, T0, null);
    }

    @Test
    void theCounts_sayWhatEveryVersionSays_throughWritesRebuildsAndDeletes_andAfterARecount() {
        var random = new Random(20261203);
        for (int step = 0; step < 500; step++) {
            String owner = OWNERS.get(random.nextInt(OWNERS.size()));
            int function = random.nextInt(4);
            long n = 1 + random.nextInt(3);
            // Few archives, so versions share them; "shared" is every owner's.
            String source = random.nextInt(5) == 0 ? "shared" : "src-" + random.nextInt(4);
            String code = random.nextBoolean() ? null : "out-" + random.nextInt(3);
            switch (random.nextInt(6)) {
                case 0, 1, 2 -> versions.put(version(owner, function, n, source, code));
                case 3 -> versions.recordBuild(version(owner, function, n, source, "out-" + random.nextInt(3)));
                case 4 -> versions.delete(owner + "-f" + function, n);
                default -> versions.deleteAll(owner + "-f" + function);
            }
            for (String o : OWNERS) {
                assertEquals(fromEveryVersion(o), versions.storedBytes(o), "step " + step + ", owner " + o);
            }
        }

        own.database().getCollection("store_migrations").drop();
        own.database().getCollection("owner_usage").drop();
        own.database().getCollection("owner_archives").drop();
        VersionStore reopened = new VersionStore(own.database());
        for (String o : OWNERS) {
            assertEquals(fromEveryVersion(o), reopened.storedBytes(o), "recounted, owner " + o);
        }
        reopened.deleteAll("ann-f1");
        reopened.put(version("ann", 1, 1, "shared", "out-9"));
        assertEquals(fromEveryVersion("ann"), reopened.storedBytes("ann"), "counting on after the recount");
    }

    @Test
    void aReleaseCountedBeforeItsReference_cancelsIt() {
        var usage = new ArchiveUsage(own.database());
        Document built = new Document("owner", "ann").append("sourceSha256", "s").append("sourceSize", 10)
                .append("codeSha256", "c").append("codeSize", 20);
        Document uploaded = new Document("owner", "ann").append("sourceSha256", "s").append("sourceSize", 10);
        usage.changed(null, uploaded);
        // The version is deleted as its build's outcome is being counted: the release of its output comes first.
        usage.changed(built, null);
        usage.changed(uploaded, built);
        assertEquals(0, usage.bytes("ann"));
        usage.changed(null, built);
        assertEquals(30, usage.bytes("ann"));
    }

    /** The sum of the sizes of the distinct archives of every version the owner has, read from all of them. */
    private long fromEveryVersion(String owner) {
        Map<String, Long> sizes = new HashMap<>();
        own.database().getCollection("function_versions").find(new Document("owner", owner))
                .forEach(d -> sizes.putAll(ArchiveUsage.archives(d)));
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
