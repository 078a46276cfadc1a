package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The {@code function_versions} collection: every version of every function, one document each,
 * with its own code, settings, build and status. A version's code and settings never change once
 * it is made; only its build moves it from {@code building} to {@code ready} or {@code failed}.
 * {@link FunctionStore} keeps it in step with the functions' own documents.
 */
final class VersionStore {

    private final MongoCollection<Document> versions;
    private final ArchiveUsage usage;

    VersionStore(MongoDatabase database) {
        this.versions = database.getCollection("function_versions");
        versions.createIndex(Indexes.ascending("functionId", "version"), new IndexOptions().name("by_function"));
        versions.createIndex(Indexes.ascending("owner"), new IndexOptions().name("by_owner"));
        this.usage = new ArchiveUsage(database);
        usage.countOnce(versions);
    }

    /** What a replaced or deleted version held, for {@link ArchiveUsage}: its owner and archives. */
    private static final Bson COUNTED = Projections.include(ArchiveUsage.FIELDS);

    /** Writes the version (a new one, or the same one as its build leaves it). */
    void put(FunctionRecord version) {
        Document after = FunctionDocument.ofVersion(version);
        Document before = versions.findOneAndReplace(eq("_id", after.getString("_id")), after,
                new FindOneAndReplaceOptions().upsert(true).projection(COUNTED).returnDocument(ReturnDocument.BEFORE));
        usage.changed(before, after);
    }

    /** Records how the version's build left it, if the version still exists. */
    void recordBuild(FunctionRecord built) {
        Document after = FunctionDocument.ofVersion(built);
        Document before = versions.findOneAndReplace(eq("_id", after.getString("_id")), after,
                new FindOneAndReplaceOptions().projection(COUNTED).returnDocument(ReturnDocument.BEFORE));
        if (before != null) {
            usage.changed(before, after);
        }
    }

    /** Records the version's build as started, if it still exists. */
    void startBuild(String functionId, long version, BuildInfo started) {
        versions.updateOne(eq("_id", FunctionDocument.versionId(functionId, version)), Updates.set("build", started.toDocument()));
    }

    /**
     * A version whose build never ran because a newer definition replaced it before its turn: it
     * stays, {@code failed}, so its number is never reused and the owner can see why. One whose
     * build has started (as stored, whatever {@code version} says) is left to record its own outcome.
     */
    void superseded(FunctionRecord version, long by, java.time.Instant now) {
        if (version.status() != FunctionRecord.Status.BUILDING || version.build() == null) {
            return;
        }
        BuildInfo info = version.build().started(now).ended(false,
                "[hearth] not built: version " + by + " replaced it before its build ran\n", now, false);
        versions.updateOne(and(eq("_id", FunctionDocument.versionId(version.id(), version.version())),
                        eq("status", FunctionRecord.Status.BUILDING.id()), eq("build.startedAt", null)),
                Updates.combine(Updates.set("status", FunctionRecord.Status.FAILED.id()), Updates.set("build", info.toDocument())));
    }

    Optional<FunctionRecord> find(String functionId, long version) {
        return Optional.ofNullable(versions.find(eq("_id", FunctionDocument.versionId(functionId, version))).first())
                .map(FunctionDocument::readVersion);
    }

    /** The function's versions, newest first. */
    List<FunctionRecord> list(String functionId) {
        return versions.find(eq("functionId", functionId)).sort(Sorts.descending("version"))
                .map(FunctionDocument::readVersion).into(new ArrayList<>());
    }

    boolean delete(String functionId, long version) {
        return deleteById(FunctionDocument.versionId(functionId, version));
    }

    /** Deletes the function's versions one by one: each is uncounted by whoever deleted it, once. */
    void deleteAll(String functionId) {
        List<String> ids = new ArrayList<>();
        versions.find(eq("functionId", functionId)).projection(Projections.include("_id")).forEach(d -> ids.add(d.getString("_id")));
        ids.forEach(this::deleteById);
    }

    private boolean deleteById(String id) {
        Document before = versions.findOneAndDelete(eq("_id", id), new FindOneAndDeleteOptions().projection(COUNTED));
        usage.changed(before, null);
        return before != null;
    }

    /** Inserts the version unless one of that number is kept already (a store written before versions were kept). */
    void keepIfMissing(FunctionRecord version) {
        if (versions.find(eq("_id", FunctionDocument.versionId(version.id(), version.version()))).first() == null) {
            put(version);
        }
    }

    /**
     * The code the owner keeps in the store over every version of every function: each archive
     * (upload or build output) counted once however many versions share it ({@link ArchiveUsage}).
     */
    long storedBytes(String owner) {
        return usage.bytes(owner);
    }

    /** Every archive digest some version refers to. */
    void collectDigests(Set<String> digests) {
        versions.find().projection(Projections.include("sourceSha256", "codeSha256")).forEach(d -> {
            for (String field : List.of("sourceSha256", "codeSha256")) {
                if (d.get(field) instanceof String digest) {
                    digests.add(digest);
                }
            }
        });
    }
}
