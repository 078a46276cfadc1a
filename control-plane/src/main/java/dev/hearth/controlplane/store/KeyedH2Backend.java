package dev.hearth.controlplane.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Set;
import org.h2.mvstore.MVMap;

/**
 * mongo-java-server's H2 backend with its unique indexes keyed by {@link KeyValueType}: the same
 * file (maps, names, format and order unchanged, so a store written by either opens in the
 * other), without re-serializing both keys at every comparison. The non-unique indexes of the
 * collections in {@link #FIELD_INDEXED} are kept too, in memory ({@link FieldIndex}); elsewhere
 * they stay what mongo-java-server makes them, nothing. Queries reach the indexes with their
 * {@code $and}s merged ({@link IndexedCollection}). A query served by a two-field unique
 * index on its first field comes back in the second field's order ({@link PrefixOrder}), and its
 * collection then skips sorting by that field, so a page with a limit
 * reads only its own documents.
 */
final class KeyedH2Backend extends H2Backend {

    /**
     * The collections whose non-unique indexes are kept: those read by owner or by function on
     * every create, list and quota check (and the code archives, by digest, on every create),
     * and bounded by the users' quotas. Invocation records
     * are not: their number grows with calls, not with users. (A constant, not a constructor
     * argument: the backend's constructor opens the collections before any field is set.)
     */
    static final Set<String> FIELD_INDEXED = Set.of("functions", "function_versions", "routes", "function_urls",
            "tokens", "access_keys", "code.files");

    KeyedH2Backend(String fileName) {
        super(fileName);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    /**
     * An inner class: H2Database's constructor opens the collections already in the file, so
     * their indexes are opened before any field of this class is set; the enclosing backend's
     * store is at hand from the start.
     */
    private final class Database extends H2Database {

        Database(String name) {
            super(name, KeyedH2Backend.this.getMvStore(), KeyedH2Backend.this.getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            // The map name H2Database gives an index.
            String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
            MVMap<KeyValue, Object> map = getMvStore().openMap(mapName, new MVMap.Builder<KeyValue, Object>().keyType(new KeyValueType()));
            return new KeyIndex(map, indexName, keys, sparse);
        }

        /** The collection H2Database opens, on the same maps, as an {@link IndexedCollection}. */
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> data = getMvStore().openMap("databases." + namespace);
            MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
            return new IndexedCollection(this, collectionName, options, data, meta, KeyedH2Backend.this.getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            if (FIELD_INDEXED.contains(collectionName) && FieldIndex.fits(keys)) {
                return new FieldIndex(indexName, keys, sparse, "_id");
            }
            return super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
        }
    }
}
