package dev.hearth.controlplane.route;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.hearth.controlplane.store.Store;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The {@code routes} collection, every user's: a route's key (host, method, path shape) is
 * unique across all of them, enforced by the store itself, so two users can never hold the same.
 */
final class RouteStore {

    private final MongoCollection<Document> routes;
    private final MongoDatabase database;
    private final MongoCollection<Document> hosts;

    RouteStore(MongoDatabase database) {
        this.database = database;
        this.routes = database.getCollection("routes");
        this.hosts = database.getCollection("route_hosts");
        routes.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true).name("by_key"));
        routes.createIndex(Indexes.ascending("owner"), new IndexOptions().name("by_owner"));
        routes.createIndex(Indexes.ascending("functionId"), new IndexOptions().name("by_function"));
    }

    /** Stores the route; false when a route of that key exists already (anyone's). */
    boolean insert(HttpRoute route, String key) {
        try {
            routes.insertOne(route.toDocument(key));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Claims {@code host} for {@code owner} unless someone holds it already; the holder either way.
     * The store's unique {@code _id} settles two claims at once, on any control plane.
     */
    String claimHost(String host, String owner) {
        try {
            hosts.insertOne(new Document("_id", host).append("owner", owner));
            return owner;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document held = hosts.find(eq("_id", host)).first();
            return held == null ? claimHost(host, owner) : held.getString("owner");
        }
    }

    List<HttpRoute> list(String owner) {
        return routes.find(eq("owner", owner)).sort(Sorts.ascending("createdAt")).map(HttpRoute::fromDocument)
                .into(new ArrayList<>());
    }

    long count(String owner) {
        return Store.count(database, routes, eq("owner", owner));
    }

    /** Every route of every user: what the route table is built from. */
    List<HttpRoute> all() {
        return routes.find().map(HttpRoute::fromDocument).into(new ArrayList<>());
    }

    boolean delete(String owner, String id) {
        return routes.deleteOne(and(eq("_id", id), eq("owner", owner))).getDeletedCount() == 1;
    }

    /** The function was deleted: its routes go with it. */
    long deleteFunction(String functionId) {
        return routes.deleteMany(eq("functionId", functionId)).getDeletedCount();
    }
}
