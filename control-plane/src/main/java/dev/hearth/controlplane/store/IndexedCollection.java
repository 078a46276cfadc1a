package dev.hearth.controlplane.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.h2.mvstore.MVMap;

/**
 * mongo-java-server's H2 collection, changed so that its indexes serve the queries Hearth
 * makes. mongo-java-server picks an index only for a query whose top-level fields name
 * the index's, but the MongoDB driver sends {@code and(eq("owner", o), eq("name", n))} as
 * {@code {$and: [{owner: o}, {name: n}]}}: every such query read every document of the
 * collection. A conjunction whose parts name distinct fields is read here as the one document
 * it is equivalent to ({@link #flattened}), and a unique index is asked first ({@link KeyIndex}
 * also counts an owner's documents from its keys). And positions an index gives already in the query's
 * sort order ({@link PrefixOrder.Ordered}) are not sorted again: mongo-java-server sorts every
 * match before it skips and limits, so a sorted page read every document of its owner;
 * unsorted, the store reads positions lazily and stops at the limit.
 */
final class IndexedCollection extends H2Collection {

    IndexedCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                      MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, name, options, data, meta, cursors);
    }

    /**
     * As mongo-java-server queries (the first index that can serve the query, else every
     * document), but a unique index is asked first: it names one document, or gives an owner's in
     * their order, where a non-unique index on the same field gives them unordered. (The order
     * of a collection's indexes is the order they were made in, which a reopened store may not keep.)
     */
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document projection) {
        Document flat = flattened(query);
        for (Index<Object> index : getIndexes()) {
            if (index instanceof KeyIndex && index.canHandle(flat)) {
                return matchDocuments(flat, index.getPositions(flat), orderBy, skip, limit, batchSize, projection);
            }
        }
        return super.queryDocuments(flat, orderBy, skip, limit, batchSize, projection);
    }

    /** A count of one owner's documents (a query on the first field of a two-field unique index) from that index's keys alone. */
    @Override
    public synchronized int count(Document query, int skip, int limit) {
        Document flat = flattened(query);
        if (skip <= 0 && limit <= 0 && flat != null) {
            for (Index<Object> index : getIndexes()) {
                OptionalLong counted = index instanceof KeyIndex keys ? keys.countFirst(flat) : OptionalLong.empty();
                if (counted.isPresent()) {
                    return Math.toIntExact(counted.getAsLong());
                }
            }
        }
        return super.count(flat, skip, limit);
    }

    @Override
    protected QueryResult matchDocuments(Document query, Iterable<Object> positions, Document orderBy, int skip, int limit,
                                         int batchSize, Document projection) {
        boolean inOrder = positions instanceof PrefixOrder.Ordered ordered && ordered.sortedBy(orderBy);
        return super.matchDocuments(query, positions, inOrder ? null : orderBy, skip, limit, batchSize, projection);
    }

    /**
     * The query with its {@code $and}s (nested ones too) merged into it, when no two of their
     * parts name the same field or operator; otherwise, or when a part is not a document, the
     * query as it is. Either way the same documents match: a conjunction of conditions on
     * distinct fields is the document of those conditions.
     */
    static Document flattened(Document query) {
        if (query == null || !query.containsKey("$and")) {
            return query;
        }
        Document merged = new Document();
        return merge(query, merged) ? merged : query;
    }

    private static boolean merge(Document part, Document into) {
        for (Map.Entry<String, Object> condition : part.entrySet()) {
            if (condition.getKey().equals("$and")) {
                if (!(condition.getValue() instanceof List<?> parts) || parts.isEmpty()) {
                    return false;
                }
                for (Object nested : parts) {
                    if (!(nested instanceof Document conjunct) || !merge(conjunct, into)) {
                        return false;
                    }
                }
            } else if (into.containsKey(condition.getKey())) {
                return false;
            } else {
                into.put(condition.getKey(), condition.getValue());
            }
        }
        return true;
    }
}
