package dev.hearth.controlplane.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A non-unique index of the embedded store, in memory: the positions of a collection's documents
 * by the string value of the index's first field ({@code owner}, {@code functionId}, …). Without
 * it mongo-java-server keeps no non-unique index at all, so a query by owner read and matched
 * every document of every owner. A query with a plain string equality on the field reads only
 * that value's positions, plus the documents whose field is not a string (an array, a number,
 * missing), which such a query might still match; the store then matches each document against
 * the whole query as before, so the positions only have to include every match, never to be
 * exact. Built from the collection when the store opens; the collection's own lock guards it.
 */
final class FieldIndex extends Index<Object> {

    private final String field;
    private final String idField;
    private final Map<String, Set<Object>> byValue = new HashMap<>();
    /** Documents whose field is not a single string: offered to every lookup. */
    private final Set<Object> unkeyed = new LinkedHashSet<>();
    private long count;

    FieldIndex(String name, List<IndexKey> keys, boolean sparse, String idField) {
        super(name, keys, sparse);
        this.field = keys.get(0).getKey();
        this.idField = idField;
    }

    /** Whether an index on these keys can be kept here: its first field is a top-level one. */
    static boolean fits(List<IndexKey> keys) {
        return !keys.isEmpty() && !keys.get(0).getKey().contains(".") && !keys.get(0).getKey().startsWith("$");
    }

    @Override
    public Object getPosition(Document document) {
        return null; // not unique: no single document has a given value
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        if (positionsFor(document.get(field)).add(position)) {
            count++;
        }
    }

    @Override
    public Object remove(Document document) {
        // The H2 collection's position is the document's id (Missing when it has none), as its
        // other indexes return it.
        Object position = Missing.ofNullable(document.get(idField));
        if (positionsFor(document.get(field)).remove(position)) {
            count--;
            prune(document.get(field));
        }
        return position;
    }

    @Override
    public boolean canHandle(Document query) {
        return query.get(field) instanceof String;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        Set<Object> matching = byValue.getOrDefault((String) query.get(field), Set.of());
        List<Object> positions = new ArrayList<>(matching.size() + unkeyed.size());
        positions.addAll(matching);
        positions.addAll(unkeyed);
        return positions;
    }

    @Override
    public long getCount() {
        return count;
    }

    @Override
    public long getDataSize() {
        return count;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
        Object before = oldDocument.get(field);
        Object after = newDocument.get(field);
        if (Objects.equals(before, after) && key(before) != null) {
            return;
        }
        if (positionsFor(before).remove(position)) {
            prune(before);
        } else {
            count++;
        }
        positionsFor(after).add(position);
    }

    @Override
    public void drop() {
        byValue.clear();
        unkeyed.clear();
        count = 0;
    }

    private Set<Object> positionsFor(Object value) {
        String key = key(value);
        return key == null ? unkeyed : byValue.computeIfAbsent(key, k -> new LinkedHashSet<>());
    }

    private void prune(Object value) {
        String key = key(value);
        if (key != null && byValue.getOrDefault(key, Set.of()).isEmpty()) {
            byValue.remove(key);
        }
    }

    private static String key(Object value) {
        return value instanceof String s ? s : null;
    }
}
