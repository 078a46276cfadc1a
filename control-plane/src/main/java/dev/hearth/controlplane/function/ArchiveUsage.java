package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each owner's code costs the store, kept as versions are written, so the code quota costs
 * two reads however many versions the owner keeps: per owner and archive ({@code owner_archives})
 * how many of the owner's versions refer to it, and per owner ({@code owner_usage}) the bytes of
 * the archives some version refers to, each counted once however many share it (an upload and its
 * build output are two archives; a Python upload that is its own output is one).
 *
 * <p>Each count changes by one atomic, upserting {@code $inc}, and an owner's bytes change when a
 * reference takes an archive's count to 1 or a release takes it to 0, as that {@code $inc}
 * returned it: writes of other threads and control planes interleave without losing one, even a
 * release counted before its reference. A store written before these counts were kept is counted
 * once from its versions when it opens ({@link #countOnce}; with several control planes, only
 * while none other writes: docs/security.md); a control plane stopped between a version's write
 * and its count leaves the count off by that version.
 */
final class ArchiveUsage {

    private static final Logger log = LoggerFactory.getLogger(ArchiveUsage.class);
    static final List<String> FIELDS = List.of("owner", "sourceSha256", "sourceSize", "codeSha256", "codeSize");
    /** The marker, in {@code store_migrations}, of a store whose counts are kept. */
    private static final String COUNTED = "owner-archive-counts";

    /** Absolute values, so two control planes counting one store at once write the same. */
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final MongoCollection<Document> refs;
    private final MongoCollection<Document> totals;
    private final MongoCollection<Document> migrations;

    ArchiveUsage(MongoDatabase database) {
        this.refs = database.getCollection("owner_archives");
        this.totals = database.getCollection("owner_usage");
        this.migrations = database.getCollection("store_migrations");
    }

    /** The archives (digest to size) a version document refers to; none for null. */
    static Map<String, Long> archives(Document version) {
        Map<String, Long> archives = new HashMap<>();
        if (version != null) {
            add(archives, version.getString("sourceSha256"), version.get("sourceSize", Number.class));
            add(archives, version.getString("codeSha256"), version.get("codeSize", Number.class));
        }
        return archives;
    }

    private static void add(Map<String, Long> archives, String digest, Number size) {
        if (digest != null && size != null && size.longValue() > 0) {
            archives.merge(digest, size.longValue(), Math::max);
        }
    }

    /** A version document went from {@code before} to {@code after} (null: it did not exist, or no longer does). */
    void changed(Document before, Document after) {
        Document either = after != null ? after : before;
        if (either == null) {
            return;
        }
        String owner = either.getString("owner");
        Map<String, Long> was = archives(before);
        Map<String, Long> now = archives(after);
        now.forEach((digest, size) -> {
            if (!was.containsKey(digest)) {
                referred(owner, digest, size);
            }
        });
        was.forEach((digest, size) -> {
            if (!now.containsKey(digest)) {
                released(owner, digest, size);
            }
        });
    }

    private static String key(String owner, String digest) {
        // A digest is 64 hex digits: the key names one (owner, digest) whatever the owner's name holds.
        return owner + "/" + digest;
    }

    private void referred(String owner, String digest, long size) {
        long refs = count(owner, digest, size, 1);
        if (refs == 1) {
            addBytes(owner, size);
        }
    }

    private void released(String owner, String digest, long size) {
        long refs = count(owner, digest, size, -1);
        if (refs == 0) {
            addBytes(owner, -size);
        }
    }

    /**
     * Adds {@code by} to the archive's count and returns the count after. Upserted either way: a
     * version deleted while its build's outcome is being counted may have its release counted
     * first, and the count then goes below zero until the reference is counted too.
     */
    private long count(String owner, String digest, long size, int by) {
        Bson id = eq("_id", key(owner, digest));
        Document counted = refs.findOneAndUpdate(id,
                Updates.combine(Updates.inc("refs", by), Updates.setOnInsert("owner", owner), Updates.setOnInsert("size", size)),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        long after = counted.get("refs", Number.class).longValue();
        if (after == 0) {
            // Only while still at zero: a version may have referred to it again meanwhile.
            refs.deleteOne(and(id, eq("refs", 0)));
        }
        return after;
    }

    private void addBytes(String owner, long bytes) {
        totals.updateOne(eq("_id", owner), Updates.inc("bytes", bytes), new UpdateOptions().upsert(true));
    }

    /** The bytes of the archives the owner's versions refer to, each once. */
    long bytes(String owner) {
        Document total = totals.find(eq("_id", owner)).first();
        return total == null ? 0 : total.get("bytes", Number.class).longValue();
    }

    /**
     * Counts every owner's archives from {@code versions} once, when the store has no counts yet
     * (it was written before they were kept, or is new); before any request is served.
     */
    void countOnce(MongoCollection<Document> versions) {
        if (migrations.find(eq("_id", COUNTED)).first() != null) {
            return;
        }
        Map<String, Map<String, long[]>> byOwner = new HashMap<>();
        versions.find().projection(Projections.include(FIELDS)).forEach(version -> {
            Map<String, long[]> owned = byOwner.computeIfAbsent(version.getString("owner"), o -> new HashMap<>());
            archives(version).forEach((digest, size) -> {
                long[] count = owned.computeIfAbsent(digest, d -> new long[2]);
                count[0]++;
                count[1] = Math.max(count[1], size);
            });
        });
        refs.deleteMany(new Document());
        totals.deleteMany(new Document());
        byOwner.forEach((owner, owned) -> {
            long bytes = 0;
            for (var archive : owned.entrySet()) {
                String key = key(owner, archive.getKey());
                refs.replaceOne(eq("_id", key), new Document("_id", key).append("owner", owner)
                        .append("size", archive.getValue()[1]).append("refs", archive.getValue()[0]), UPSERT);
                bytes += archive.getValue()[1];
            }
            totals.replaceOne(eq("_id", owner), new Document("_id", owner).append("bytes", bytes), UPSERT);
        });
        migrations.replaceOne(eq("_id", COUNTED), new Document("_id", COUNTED), UPSERT);
        if (!byOwner.isEmpty()) {
            log.info("counted the code archives of {} owner(s) from their versions", byOwner.size());
        }
    }
}
