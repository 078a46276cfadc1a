package dev.hearth.controlplane.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The keys of a unique index on two string fields ({@code owner}, {@code name}), in memory, by
 * the first field's value and then in the second's order: what lets the embedded store answer
 * a query on the first field alone (with or without a range on the second, sorted by it or not)
 * from the index, reading the documents of one page, not all of that value's documents.
 * mongo-java-server's own unique index serves only a query naming every field exactly.
 *
 * <p>Strings compare as the store's matcher and sort compare them ({@link String#compareTo}),
 * so a page read here holds what the store's own sort would have put there. A key whose first
 * value is not a string is left out: a query for a string cannot match it. A first value is left
 * to the store's other ways (no order given, no count) once a key under it has a second value that
 * is not a string (missing, a number), or a document under it has several keys (an array of
 * names: its position would come twice, and the store sorts an array by its least element) or
 * none (an empty array, seen as it is written; a store reopened after one was written would not
 * know of it: Hearth's names are strings). The index's collection lock guards this, as it guards
 * the index.
 */
final class PrefixOrder {

    private final String first;
    private final String second;
    private final Map<String, NavigableMap<String, Object>> byFirst = new HashMap<>();
    /** Keys whose first value is a string and whose second is not, by that first value. */
    private final Map<String, Integer> unordered = new HashMap<>();
    /** First values under which some document has more than one key (an array of names): not counted here. */
    private final Set<String> multikey = new HashSet<>();

    PrefixOrder(String first, String second) {
        this.first = first;
        this.second = second;
    }

    /** Positions in the second field's ascending order: the store may skip sorting them by it. */
    static final class Ordered implements Iterable<Object> {

        private final String first;
        private final String second;
        private final Iterable<Object> positions;

        private Ordered(String first, String second, Iterable<Object> positions) {
            this.first = first;
            this.second = second;
            this.positions = positions;
        }

        /**
         * Whether these positions are already in {@code orderBy}'s order: ascending by the second
         * field, alone or after the first (the same for every position here).
         */
        boolean sortedBy(Document orderBy) {
            if (orderBy == null || orderBy.isEmpty()) {
                return true;
            }
            var keys = orderBy.keySet().iterator();
            String key = keys.next();
            if (key.equals(first) && ascending(orderBy.get(key)) && keys.hasNext()) {
                key = keys.next();
            }
            return key.equals(second) && ascending(orderBy.get(key)) && !keys.hasNext();
        }

        private static boolean ascending(Object direction) {
            return direction instanceof Number n && n.doubleValue() == 1;
        }

        @Override
        public Iterator<Object> iterator() {
            return positions.iterator();
        }
    }

    void add(KeyValue key, Object position) {
        if (!(key.get(0) instanceof String a)) {
            return;
        }
        if (key.get(1) instanceof String b) {
            byFirst.computeIfAbsent(a, k -> new TreeMap<>()).put(b, position);
        } else {
            unordered.merge(a, 1, Integer::sum);
        }
    }

    void remove(KeyValue key) {
        if (!(key.get(0) instanceof String a)) {
            return;
        }
        if (key.get(1) instanceof String b) {
            NavigableMap<String, Object> names = byFirst.get(a);
            if (names != null && names.remove(b) != null && names.isEmpty()) {
                byFirst.remove(a);
            }
        } else {
            unordered.computeIfPresent(a, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    void clear() {
        byFirst.clear();
        unordered.clear();
        multikey.clear();
    }

    /** A document under this first value has several keys, or none: its keys no longer order or count its documents. */
    void leaveToOthers(Object firstValue) {
        if (firstValue instanceof String a) {
            multikey.add(a);
        }
    }

    /**
     * How many documents have {@code value} as their first field, from the keys alone (each
     * document has one key, and every key a string second value); empty when that cannot be told.
     */
    OptionalLong count(String value) {
        if (!canHandle(new Document(first, value))) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(byFirst.getOrDefault(value, Collections.emptyNavigableMap()).size());
    }

    /**
     * Whether the positions of every document {@code query} can match are here, each once and in
     * order: it asks for one string value of the first field, every key with that value has a
     * string second value, and no document has two of them.
     */
    boolean canHandle(Document query) {
        return query.get(first) instanceof String a && !unordered.containsKey(a) && !multikey.contains(a);
    }

    /**
     * The positions of the first field's value in the query, in the second field's order,
     * narrowed to the query's range on the second field when it is a plain one ({@code $gt},
     * {@code $gte}, {@code $lt}, {@code $lte} of strings); read lazily, so a query with a limit
     * reads only as many as it keeps. A superset of the matches: the store matches each document.
     */
    Ordered positions(Document query) {
        NavigableMap<String, Object> names = byFirst.getOrDefault((String) query.get(first), Collections.emptyNavigableMap());
        if (query.get(second) instanceof String exact) {
            names = names.subMap(exact, true, exact, true);
        } else if (query.get(second) instanceof Document range && isRange(range)) {
            names = narrowed(names, range);
        }
        return new Ordered(first, second, names.values());
    }

    /** The names within every bound of the range; all of them when the bounds do not nest (the store's matcher still applies them). */
    private static NavigableMap<String, Object> narrowed(NavigableMap<String, Object> names, Document range) {
        NavigableMap<String, Object> within = names;
        try {
            for (Map.Entry<String, Object> bound : range.entrySet()) {
                String value = (String) bound.getValue();
                within = switch (bound.getKey()) {
                    case "$gt" -> within.tailMap(value, false);
                    case "$gte" -> within.tailMap(value, true);
                    case "$lt" -> within.headMap(value, false);
                    default -> within.headMap(value, true);
                };
            }
            return within;
        } catch (IllegalArgumentException outsideTheFirstBound) {
            return names;
        }
    }

    private static final Set<String> RANGES = Set.of("$gt", "$gte", "$lt", "$lte");

    private static boolean isRange(Document condition) {
        return !condition.isEmpty() && condition.entrySet().stream()
                .allMatch(e -> RANGES.contains(e.getKey()) && e.getValue() instanceof String);
    }
}
