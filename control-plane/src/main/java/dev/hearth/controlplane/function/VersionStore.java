package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * The {@code function_versions} collection: every version of every function, one document each,
 * with its own code, settings, build and status. A version's code and settings never change once
 * it is made; only its build moves it from {@code building} to {@code ready} or {@code failed}.
 * {@link FunctionStore} keeps it in step with the functions' own documents.
 */
final class VersionStore {

    private final MongoCollection<Document> versions;

    VersionStore(MongoDatabase database) {
        this.versions = database.getCollection("function_versions");
        versions.createIndex(Indexes.ascending("functionId", "version"), new IndexOptions().name("by_function"));
        versions.createIndex(Indexes.ascending("owner"), new IndexOptions().name("by_owner"));
    }

    /** Writes the version (a new one, or the same one as its build leaves it). */
    void put(FunctionRecord version) {
        versions.replaceOne(eq("_id", FunctionDocument.versionId(version.id(), version.version())),
                FunctionDocument.ofVersion(version), new ReplaceOptions().upsert(true));
    }

    /** Records how the version's build left it, if the version still exists. */
    void recordBuild(FunctionRecord built) {
        versions.replaceOne(eq("_id", FunctionDocument.versionId(built.id(), built.version())), FunctionDocument.ofVersion(built));
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
        return versions.deleteOne(eq("_id", FunctionDocument.versionId(functionId, version))).getDeletedCount() == 1;
    }

    void deleteAll(String functionId) {
        versions.deleteMany(eq("functionId", functionId));
    }

    /** Inserts the version unless one of that number is kept already (a store written before versions were kept). */
    void keepIfMissing(FunctionRecord version) {
        if (versions.find(eq("_id", FunctionDocument.versionId(version.id(), version.version()))).first() == null) {
            put(version);
        }
    }

    /**
     * The code the owner keeps in the store over every version of every function: each archive
     * (upload or build output) counted once however many versions share it.
     */
    long storedBytes(String owner) {
        Map<String, Long> sizes = new HashMap<>();
        versions.find(eq("owner", owner)).projection(Projections.include("sourceSha256", "sourceSize", "codeSha256", "codeSize"))
                .forEach(d -> {
                    count(sizes, d.getString("sourceSha256"), d.get("sourceSize", Number.class));
                    count(sizes, d.getString("codeSha256"), d.get("codeSize", Number.class));
                });
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void count(Map<String, Long> sizes, String digest, Number size) {
        if (digest != null && size != null && size.longValue() > 0) {
            sizes.merge(digest, size.longValue(), Math::max);
        }
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
