package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.hearth.controlplane.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The {@code functions} collection, one document per function: the version that serves (with a
 * newer one still building as {@code pending}) and the function's aliases; (owner, name) is
 * unique, enforced by the store itself. Every version written here is also kept in
 * {@link VersionStore}, which holds them all.
 */
final class FunctionStore {

    private final MongoCollection<Document> functions;
    private final MongoDatabase database;
    private final VersionStore versions;

    FunctionStore(MongoDatabase database) {
        this.database = database;
        this.functions = database.getCollection("functions");
        this.versions = new VersionStore(database);
        functions.createIndex(Indexes.ascending("owner", "name"), new IndexOptions().unique(true).name("owner_name"));
        // Quota sums by owner. A MongoDB serves lists and counts by owner from the unique index's
        // prefix too; the embedded store from its order of that index (store.PrefixOrder).
        functions.createIndex(Indexes.ascending("owner"), new IndexOptions().name("by_owner"));
        keepVersionsOfEarlierStores();
    }

    /** A store written before versions were kept has the serving and pending versions only: they become the first kept. */
    private void keepVersionsOfEarlierStores() {
        functions.find(eq("versionsKept", null)).map(FunctionDocument::read).forEach(f -> {
            versions.keepIfMissing(f.withPending(null));
            if (f.pending() != null) {
                versions.keepIfMissing(f.pending());
            }
            functions.updateOne(eq("_id", f.id()), Updates.set("versionsKept", true));
        });
    }

    VersionStore versions() {
        return versions;
    }

    /** Stores a new function; false when the owner already has one of that name. */
    boolean insert(FunctionRecord function) {
        try {
            functions.insertOne(FunctionDocument.inserted(function).append("versionsKept", true));
            versions.put(function);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Optional<FunctionRecord> find(String owner, String name) {
        return Optional.ofNullable(functions.find(and(eq("owner", owner), eq("name", name))).first())
                .map(FunctionDocument::read);
    }

    /** The owner's function of that name as stored now, or 404. */
    FunctionRecord require(String owner, String name) {
        FunctionValidator.checkName(name);
        return find(owner, name).orElseThrow(() -> Functions.notFound(name));
    }

    /** One page of an owner's functions, by name; {@code next} names the last of them when more follow. */
    record Page(List<FunctionRecord> functions, String next) {}

    /**
     * The owner's functions named after {@code after} (null: from the first), at most
     * {@code limit}, by name. Served by the (owner, name) index in name order: a page costs its
     * own functions, however many more the owner has.
     */
    Page list(String owner, String after, int limit) {
        Bson filter = after == null ? eq("owner", owner) : and(eq("owner", owner), gt("name", after));
        List<FunctionRecord> found = functions.find(filter).sort(Sorts.ascending("name")).limit(limit + 1)
                .map(FunctionDocument::read)
                .into(new ArrayList<>());
        if (found.size() <= limit) {
            return new Page(found, null);
        }
        List<FunctionRecord> page = found.subList(0, limit);
        return new Page(page, page.get(limit - 1).name());
    }

    /** Sets the given fields of a function; false when it does not exist. */
    boolean update(String owner, String name, org.bson.conversions.Bson changes) {
        return functions.updateOne(and(eq("owner", owner), eq("name", name)), changes).getMatchedCount() == 1;
    }

    /**
     * Replaces the definition at {@code expectedVersion} with a newer one (any pending build is
     * dropped with it); false when the function changed or went meanwhile.
     */
    boolean replace(long expectedVersion, FunctionRecord next) {
        if (functions.updateOne(and(eq("_id", next.id()), eq("version", expectedVersion)), FunctionDocument.replacing(next))
                .getMatchedCount() != 1) {
            return false;
        }
        versions.put(next);
        return true;
    }

    /** Keeps a newer version that must be built first beside the serving one; false when the function is gone. */
    boolean stagePending(FunctionRecord next) {
        if (functions.updateOne(eq("_id", next.id()), Updates.set("pending", FunctionDocument.of(next))).getMatchedCount() != 1) {
            return false;
        }
        versions.put(next);
        return true;
    }

    /** Sets (or replaces) one alias of the function; false when the function is gone. */
    boolean setAlias(String functionId, Alias alias) {
        return functions.updateOne(eq("_id", functionId), Updates.set("aliases." + alias.name(), alias.toDocument()))
                .getMatchedCount() == 1;
    }

    /** Replaces the function's labels whole; false when the function is gone. */
    boolean setLabels(String functionId, java.util.Map<String, String> labels) {
        return functions.updateOne(eq("_id", functionId), Updates.set("labels", FunctionDocument.labels(labels))).getMatchedCount() == 1;
    }

    /** Removes one alias; false when the function or the alias is gone. */
    boolean removeAlias(String functionId, String alias) {
        return functions.updateOne(and(eq("_id", functionId), com.mongodb.client.model.Filters.exists("aliases." + alias)),
                Updates.unset("aliases." + alias)).getModifiedCount() == 1;
    }

    /**
     * Records the end of a build. A function's first build turns it {@code ready} or {@code failed};
     * a newer version's successful build replaces the serving one, a failed one stays beside it.
     * False when the function was deleted or redefined meanwhile, so the build no longer matters.
     */
    boolean finishBuild(FunctionRecord built) {
        // The version keeps its build's outcome even when a newer definition replaced it meanwhile.
        versions.recordBuild(built);
        var first = and(eq("_id", built.id()), eq("version", built.version()), eq("status", FunctionRecord.Status.BUILDING.id()));
        if (functions.updateOne(first, FunctionDocument.replacing(built)).getMatchedCount() == 1) {
            return true;
        }
        var update = and(eq("_id", built.id()), eq("pending.version", built.version()));
        if (built.status() == FunctionRecord.Status.READY) {
            return functions.updateOne(update, FunctionDocument.replacing(built)).getMatchedCount() == 1;
        }
        return functions.updateOne(update, Updates.set("pending", FunctionDocument.of(built))).getMatchedCount() == 1;
    }

    /**
     * Records that the build of {@code version} got its slot, as {@code started}. False when that
     * version is no longer waiting for its build (deleted, superseded by a newer definition, or
     * already built), so the build is not run: it would build stale source.
     */
    boolean startBuild(String id, long version, BuildInfo started) {
        String building = FunctionRecord.Status.BUILDING.id();
        var first = and(eq("_id", id), eq("version", version), eq("status", building));
        var pending = and(eq("_id", id), eq("pending.version", version), eq("pending.status", building));
        if (functions.updateOne(first, Updates.set("build", started.toDocument())).getMatchedCount() == 1
                || functions.updateOne(pending, Updates.set("pending.build", started.toDocument())).getMatchedCount() == 1) {
            versions.startBuild(id, version, started);
            return true;
        }
        return false;
    }

    /** Every build that was under way: first versions still building, and newer versions pending. */
    List<FunctionRecord> building() {
        String building = FunctionRecord.Status.BUILDING.id();
        List<FunctionRecord> found = new ArrayList<>();
        functions.find(or(eq("status", building), eq("pending.status", building))).map(FunctionDocument::read).forEach(f ->
                found.add(f.status() == FunctionRecord.Status.BUILDING ? f : f.pending()));
        return found;
    }

    /** Ready functions that keep containers warm, to provision after a start. */
    List<FunctionRecord> keptWarm() {
        return functions.find(and(gt("minWarm", 0), eq("status", FunctionRecord.Status.READY.id())))
                .map(FunctionDocument::read).into(new ArrayList<>());
    }

    Optional<FunctionRecord> findById(String id) {
        return Optional.ofNullable(functions.find(eq("_id", id)).first()).map(FunctionDocument::read);
    }

    long count(String owner) {
        return Store.count(database, functions, eq("owner", owner));
    }

    /** The code the owner keeps in the store, all functions and versions together (see {@link VersionStore#storedBytes}). */
    long storedBytes(String owner) {
        return versions.storedBytes(owner);
    }

    /** The {@code minWarm} the owner asks for over all their functions (see {@link FunctionRecord#minWarmAsked}). */
    int minWarm(String owner) {
        // A function that asks no minWarm for itself or its pending version asks 0 (see
        // minWarmAsked): only the others are read, not every function of the owner.
        return functions.find(and(eq("owner", owner), or(gt("minWarm", 0), gt("pending.minWarm", 0))))
                .map(FunctionDocument::read).into(new ArrayList<>()).stream().mapToInt(FunctionRecord::minWarmAsked).sum();
    }

    /** Every archive digest some function version refers to: uploads and outputs, kept and pending versions' included. */
    Set<String> referencedDigests() {
        Set<String> digests = new HashSet<>();
        versions.collectDigests(digests);
        functions.find().projection(Projections.include(REFERENCES)).forEach(d -> {
            collect(d, digests);
            if (d.get("pending") instanceof Document pending) {
                collect(pending, digests);
            }
        });
        return digests;
    }

    private static final List<String> REFERENCES = List.of("sourceSha256", "codeSha256", "pending");

    private static void collect(Document d, Set<String> digests) {
        for (String field : List.of("sourceSha256", "codeSha256")) {
            if (d.get(field) instanceof String digest) {
                digests.add(digest);
            }
        }
    }

    boolean deleteById(String id) {
        versions.deleteAll(id);
        return functions.deleteOne(eq("_id", id)).getDeletedCount() == 1;
    }

    /** Deletes the function with every version it kept. */
    Optional<FunctionRecord> delete(String owner, String name) {
        Optional<FunctionRecord> deleted = Optional.ofNullable(functions.findOneAndDelete(and(eq("owner", owner), eq("name", name))))
                .map(FunctionDocument::read);
        deleted.ifPresent(f -> versions.deleteAll(f.id()));
        return deleted;
    }
}
