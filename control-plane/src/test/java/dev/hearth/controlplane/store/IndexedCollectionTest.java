package dev.hearth.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A conjunction reaches the indexes as the one document it is equivalent to, and only then: two
 * parts naming one field, or a part that is not a document, leave the query as it was sent.
 */
class IndexedCollectionTest {

    @Test
    void aConjunctionOfDistinctFields_becomesOneDocument_nestedOnesToo() {
        Document or = new Document("$or", List.of(new Document("minWarm", new Document("$gt", 0))));
        Document query = new Document("$and", List.of(new Document("owner", "ann"),
                new Document("$and", List.of(new Document("name", "f"), or))));
        assertEquals(new Document("owner", "ann").append("name", "f").append("$or", or.get("$or")), IndexedCollection.flattened(query));
        Document beside = new Document("status", "ready").append("$and", List.of(new Document("owner", "ann")));
        assertEquals(new Document("status", "ready").append("owner", "ann"), IndexedCollection.flattened(beside));
    }

    @Test
    void aConjunctionNamingOneFieldTwice_orWithAPartThatIsNotADocument_isLeftAsSent() {
        Document twice = new Document("$and", List.of(new Document("n", new Document("$gt", 1)), new Document("n", new Document("$lt", 5))));
        assertSame(twice, IndexedCollection.flattened(twice));
        Document twoOrs = new Document("$and", List.of(new Document("$or", List.of(new Document("a", 1))),
                new Document("$or", List.of(new Document("b", 1)))));
        assertSame(twoOrs, IndexedCollection.flattened(twoOrs));
        Document notADocument = new Document("$and", List.of(new Document("a", 1), "b"));
        assertSame(notADocument, IndexedCollection.flattened(notADocument));
        Document empty = new Document("$and", List.of());
        assertSame(empty, IndexedCollection.flattened(empty));
        Document plain = new Document("owner", "ann");
        assertSame(plain, IndexedCollection.flattened(plain));
    }
}
