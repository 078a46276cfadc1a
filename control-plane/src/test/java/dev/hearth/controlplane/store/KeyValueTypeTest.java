package dev.hearth.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.backend.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

/** {@link KeyValueType} orders keys exactly as H2's own {@link ObjectDataType} does. */
class KeyValueTypeTest {

    @Test
    void everyPairOfKeys_comparesWithTheSignH2Gives_alsoWhenComparedAgain() {
        List<Object> keys = keys();
        var h2 = new ObjectDataType();
        var keyed = new KeyValueType();
        int pairs = 0;
        for (int round = 0; round < 2; round++) {
            for (Object a : keys) {
                for (Object b : keys) {
                    assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(keyed.compare(a, b)), a + " against " + b);
                    pairs++;
                }
            }
        }
        assertEquals(2 * keys.size() * keys.size(), pairs);
    }

    @Test
    void equalKeysThatAreDifferentObjects_compareEqual() {
        var keyed = new KeyValueType();
        assertEquals(0, keyed.compare(new KeyValue("01a235c0-d374"), new KeyValue("01a235c0-d374")));
        assertEquals(0, keyed.compare(new KeyValue(List.of("a", 1)), new KeyValue(List.of("a", 1))));
    }

    /** Invocation-like ids, short and long strings, numbers, compound keys, and a few that are not KeyValues at all. */
    private static List<Object> keys() {
        var random = new Random(19);
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(new KeyValue(String.format("01a2%04x-%04x-7%03x", random.nextInt(0x10000), random.nextInt(0x10000), i)));
        }
        for (int i = 0; i < 60; i++) { // printable and control ASCII, lengths 0 to 11, so lengths and characters both decide
            char[] chars = new char[random.nextInt(12)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) (1 + random.nextInt(0x7F));
            }
            keys.add(new KeyValue(new String(chars)));
        }
        // Where the short form ends: NUL and non-ASCII (two or three bytes a character), the longest short string and a long one.
        keys.addAll(List.of(new KeyValue("a\0"), new KeyValue("\0"), new KeyValue("a\u007f"), new KeyValue("a\u0080"), new KeyValue("\u20ac"),
                new KeyValue("z".repeat(0xFFFF)), new KeyValue("z".repeat(0x10000)), new KeyValue("y".repeat(0x10000))));
        keys.addAll(List.of(new KeyValue(""), new KeyValue("a"), new KeyValue("b"), new KeyValue("ab"), new KeyValue("é"),
                new KeyValue("x".repeat(300)), new KeyValue(1), new KeyValue(-1), new KeyValue(1L), new KeyValue(2.5),
                new KeyValue("a", 1), new KeyValue("a", 2), new KeyValue(List.of("a", "b")), new KeyValue(true)));
        keys.addAll(List.of("plain string", 7L, 3));
        return keys;
    }
}
