package dev.hearth.controlplane.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

/**
 * mongo-java-server's H2 collection, except that positions an index gives already in the
 * query's sort order ({@link PrefixOrder.Ordered}) are not sorted again: mongo-java-server sorts
 * every match before it skips and limits, so a sorted page read every document of its owner;
 * unsorted, the store reads positions lazily and stops at the limit.
 */
final class OrderedCollection extends H2Collection {

    OrderedCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                      MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, name, options, data, meta, cursors);
    }

    @Override
    protected QueryResult matchDocuments(Document query, Iterable<Object> positions, Document orderBy, int skip, int limit,
                                         int batchSize, Document projection) {
        boolean inOrder = positions instanceof PrefixOrder.Ordered ordered && ordered.sortedBy(orderBy);
        return super.matchDocuments(query, positions, inOrder ? null : orderBy, skip, limit, batchSize, projection);
    }
}
