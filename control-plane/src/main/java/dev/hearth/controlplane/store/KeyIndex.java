package dev.hearth.controlplane.store;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.h2.mvstore.MVMap;

/**
 * A unique index of the embedded store in an H2 map of its own: mongo-java-server's
 * {@code H2UniqueIndex} (whose constructor is not public), over a map opened with {@link KeyValueType}.
 * It serves a query that names every one of its fields exactly beside other conditions (the
 * store matches those); an index of two fields keeps its keys in a {@link PrefixOrder} too (built
 * from the map when the store opens), so it also serves queries on its first field alone, in its
 * second's order.
 */
final class KeyIndex extends AbstractUniqueIndex<Object> {

    private final MVMap<KeyValue, Object> map;
    /** Null unless the index has exactly two fields. */
    private final PrefixOrder order;

    KeyIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.map = map;
        this.order = keys.size() == 2 ? new PrefixOrder(keys.get(0).getKey(), keys.get(1).getKey()) : null;
        if (order != null) {
            Map<Object, KeyValue> keyOf = new HashMap<>();
            map.forEach((key, position) -> {
                order.add(key, position);
                if (keyOf.put(position, key) != null) {
                    order.leaveToOthers(key.get(0));
                }
            });
        }
    }

    /**
     * Also tells the order of a document with more than one key (a field holding an array), or
     * none (an empty array): its first value's documents are then found by the store's other ways.
     */
    @Override
    public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
        if (order != null) {
            Set<KeyValue> keys = getKeyValues(document);
            if (keys.size() > 1) {
                keys.forEach(key -> order.leaveToOthers(key.get(0)));
            } else if (keys.isEmpty()) {
                order.leaveToOthers(document.get(keys().get(0)));
            }
        }
        super.add(document, position, collection);
    }

    /** The number of documents with {@code value} as the first of two fields, from the keys alone; empty when they cannot tell. */
    OptionalLong countFirst(Document query) {
        if (order == null || query.size() != 1 || !(query.get(keys().get(0)) instanceof String value)) {
            return OptionalLong.empty();
        }
        return order.count(value);
    }

    @Override
    protected Object removeDocument(KeyValue key) {
        Object removed = map.remove(key);
        if (removed != null && order != null) {
            order.remove(key);
        }
        return removed;
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, Object position) {
        Object stored = Missing.ofNullable(position);
        boolean added = map.putIfAbsent(key, stored) == null;
        if (added && order != null) {
            order.add(key, stored);
        }
        return added;
    }

    /**
     * A query naming every field of the index exactly (with other conditions beside: the store
     * matches them), or, for two fields, the first alone ({@link PrefixOrder}).
     */
    @Override
    public synchronized boolean canHandle(Document query) {
        return super.canHandle(query) || exactKey(query) != null || (order != null && order.canHandle(query));
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        if (super.canHandle(query)) {
            return super.getPositions(query);
        }
        Document key = exactKey(query);
        return key != null ? super.getPositions(key) : order.positions(query);
    }

    /**
     * The index's fields as the query names them, when it gives each a plain value (a string, a
     * number, …: no operator, document, array, pattern or null, whose matches a lookup would not
     * find) and more besides; null otherwise.
     */
    private Document exactKey(Document query) {
        if (query.size() <= keys().size()) {
            return null;
        }
        Document key = new Document();
        for (String field : keys()) {
            Object value = query.get(field);
            if (value == null || value instanceof Document || value instanceof Collection<?>
                    || value instanceof Pattern || value instanceof BsonRegularExpression) {
                return null;
            }
            key.put(field, value);
        }
        return key;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
        return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue key) {
        return map.get(key);
    }

    @Override
    public long getCount() {
        return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    @Override
    public void drop() {
        super.drop();
        if (order != null) {
            order.clear();
        }
    }
}
