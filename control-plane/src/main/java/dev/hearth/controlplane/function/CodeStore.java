package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import dev.hearth.poolmanager.code.CodeSource;
import dev.hearth.poolmanager.support.Digests;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * Code archives in GridFS, addressed by the SHA-256 of their bytes: the same archive is stored
 * once however many functions use it. Pool managers fetch archives from here by digest.
 *
 * <p>Each archive carries the time it was last stored or reused ({@code metadata.lastUsed}), and
 * the sweep deletes only on the condition that this time is still old: a {@link #put} that
 * races the sweep either touches the file first (and it stays) or finds it gone (and uploads
 * it again). Several control planes may sweep one store at once; each deletion is conditional,
 * so one of them deletes and the others find nothing.
 */
public final class CodeStore implements CodeSource {

    private static final int CHUNK_BYTES = 255 * 1024;
    private static final String LAST_USED = "metadata.lastUsed";

    private final GridFSBucket bucket;
    private final MongoCollection<Document> files;
    private final MongoCollection<Document> chunks;
    private final Clock clock;

    public CodeStore(MongoDatabase database, Clock clock) {
        this.bucket = GridFSBuckets.create(database, "code");
        this.files = database.getCollection("code.files");
        this.chunks = database.getCollection("code.chunks");
        this.clock = clock;
    }

    /** An archive as the sweep sees it. */
    record Stored(ObjectId id, String digest) {}

    /** Stores the archive unless already there, marking it used now either way; returns its digest. */
    public String put(byte[] zip) {
        String digest = Digests.sha256Hex(zip);
        if (!touch(digest)) {
            var options = new GridFSUploadOptions().chunkSizeBytes(CHUNK_BYTES)
                    .metadata(new Document("lastUsed", Date.from(clock.instant())));
            bucket.uploadFromStream(digest, new ByteArrayInputStream(zip), options);
            // A long upload would otherwise be stamped with its start: stamp it with its end.
            touch(digest);
        }
        return digest;
    }

    /** Marks the archive used now, so no sweep deletes it within its grace; false when it is not stored. */
    public boolean touch(String digest) {
        return files.updateMany(eq("filename", digest), Updates.set(LAST_USED, Date.from(clock.instant()))).getMatchedCount() > 0;
    }

    @Override
    public InputStream open(String digest) throws FileNotFoundException {
        GridFSFile file = find(digest);
        if (file == null) {
            throw new FileNotFoundException("no code archive with digest " + digest);
        }
        return bucket.openDownloadStream(file.getObjectId());
    }

    /** True when an archive with this digest is stored. */
    public boolean holds(String digest) {
        return find(digest) != null;
    }

    /** Archives neither stored nor reused since {@code cutoff}. */
    List<Stored> untouchedSince(Instant cutoff) {
        List<Stored> found = new ArrayList<>();
        files.find(untouched(cutoff)).projection(Projections.include("_id", "filename"))
                .forEach(d -> found.add(new Stored(d.getObjectId("_id"), d.getString("filename"))));
        return found;
    }

    /** Deletes the archive if it is still untouched since {@code cutoff}; true when this call deleted it. */
    boolean deleteIfUntouched(ObjectId id, Instant cutoff) {
        if (files.findOneAndDelete(and(eq("_id", id), untouched(cutoff))) == null) {
            return false;
        }
        chunks.deleteMany(eq("files_id", id));
        return true;
    }

    /**
     * Deletes chunks whose file is gone, left by a sweep that stopped between its two deletions.
     * Only chunks whose upload began before {@code before} count: a running upload writes its
     * chunks before its file, and its id carries its start time.
     */
    int deleteOrphanChunks(Instant before) {
        int deleted = 0;
        for (ObjectId fileId : chunks.distinct("files_id", ObjectId.class)) {
            if (fileId.getDate().toInstant().isBefore(before) && files.find(eq("_id", fileId)).first() == null) {
                deleted += (int) chunks.deleteMany(eq("files_id", fileId)).getDeletedCount();
            }
        }
        return deleted;
    }

    /** Archives from before last-use times were kept count from their upload. */
    private static Bson untouched(Instant cutoff) {
        Date at = Date.from(cutoff);
        return or(lte(LAST_USED, at), and(exists(LAST_USED, false), lte("uploadDate", at)));
    }

    private GridFSFile find(String digest) {
        return bucket.find(eq("filename", digest)).first();
    }
}
