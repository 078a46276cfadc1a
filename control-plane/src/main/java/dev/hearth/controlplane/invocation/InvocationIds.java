package dev.hearth.controlplane.invocation;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Invocation ids as version-7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then 74 random
 * bits. Ids made later sort later, so the store's B-tree gains them at its right edge and a
 * commit rewrites a few pages instead of pages all over the tree, as random ids would make it.
 */
public final class InvocationIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private InvocationIds() {}

    public static String next(long epochMillis) {
        long random = RANDOM.nextLong();
        long high = (epochMillis << 16) | 0x7000L | ((random >>> 52) & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
