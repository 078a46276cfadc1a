package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** The {@code functions} collection; (owner, name) is unique, enforced by the store itself. */
final class FunctionStore {

    private final MongoCollection<Document> functions;

    FunctionStore(MongoDatabase database) {
        this.functions = database.getCollection("functions");
        functions.createIndex(Indexes.ascending("owner", "name"), new IndexOptions().unique(true).name("owner_name"));
    }

    /** Stores a new function; false when the owner already has one of that name. */
    boolean insert(FunctionRecord function) {
        try {
            functions.insertOne(function.toDocument());
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
                .map(FunctionRecord::fromDocument);
    }

    List<FunctionRecord> list(String owner) {
        return functions.find(eq("owner", owner)).sort(Sorts.ascending("name"))
                .map(FunctionRecord::fromDocument)
                .into(new ArrayList<>());
    }

    /** Sets the given fields of a function; false when it does not exist. */
    boolean update(String owner, String name, org.bson.conversions.Bson changes) {
        return functions.updateOne(and(eq("owner", owner), eq("name", name)), changes).getMatchedCount() == 1;
    }

    /** Records the end of a build; false when the function was deleted meanwhile. */
    boolean finishBuild(FunctionRecord built) {
        return functions.replaceOne(eq("_id", built.id()), built.toDocument()).getMatchedCount() == 1;
    }

    List<FunctionRecord> building() {
        return functions.find(eq("status", FunctionRecord.Status.BUILDING.id())).map(FunctionRecord::fromDocument).into(new ArrayList<>());
    }

    Optional<FunctionRecord> delete(String owner, String name) {
        return Optional.ofNullable(functions.findOneAndDelete(and(eq("owner", owner), eq("name", name))))
                .map(FunctionRecord::fromDocument);
    }
}
