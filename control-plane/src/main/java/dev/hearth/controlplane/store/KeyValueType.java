package dev.hearth.controlplane.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key type of the embedded store's unique indexes ({@code _id} on every collection): H2's
 * {@link ObjectDataType}, the type mongo-java-server's H2 backend gives them, with the same file
 * format and the same order, but cheap to compare. A {@link KeyValue} is not {@link Comparable},
 * so {@code ObjectDataType} orders two of them by their Java serializations and makes both anew
 * on each comparison: a lookup in a B-tree of n records serialized 2·log₂(n) objects, and a
 * profile of warm calls put most of the process's allocation there (each call's record is
 * checked for a duplicate {@code _id}, then inserted). Here each key's serialization is made
 * once and kept beside the key for as long as the key itself is reachable (the search key of a
 * lookup, the keys of the pages H2 has in memory), then compared as H2 compares them ({@link ObjectDataType#compareNotNull}).
 *
 * <p>Most keys need no serialization at all: a key of one ASCII string (every id Hearth makes)
 * serializes as the same bytes for every such key up to the string, written as its 2-byte length,
 * then its characters (one byte each), then the same bytes again. So two such keys compare as
 * their lengths, then as their characters: the order H2 gives them, found without a cache lookup
 * (a profile of warm calls put a third of the store's insert time in that lookup).
 */
final class KeyValueType extends ObjectDataType {

    /** Weak keys: compared by identity and dropped with the key, so only live keys' bytes are held. */
    private final Cache<KeyValue, byte[]> serialized = Caffeine.newBuilder().weakKeys().build();

    @Override
    public int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a instanceof KeyValue ka && b instanceof KeyValue kb) {
            String sa = asciiString(ka);
            String sb = sa == null ? null : asciiString(kb);
            if (sb != null) {
                return sa.length() != sb.length() ? Integer.compare(sa.length(), sb.length()) : Integer.signum(sa.compareTo(sb));
            }
            return compareNotNull(bytes(ka), bytes(kb));
        }
        return super.compare(a, b);
    }

    /**
     * The key's one string when it is serialized in the short form, one byte per character
     * (characters 1 to 127; modified UTF-8 writes {@code \\u0000} in two bytes), else null.
     */
    private static String asciiString(KeyValue key) {
        if (key.size() != 1 || !(key.get(0) instanceof String s) || s.length() > 0xFFFF) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7F) {
                return null;
            }
        }
        return s;
    }

    /** {@code key}'s Java serialization as H2 makes it ({@link ObjectDataType#serialize}). */
    byte[] bytes(KeyValue key) {
        return serialized.get(key, ObjectDataType::serialize);
    }
}
