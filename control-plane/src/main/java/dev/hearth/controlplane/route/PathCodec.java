package dev.hearth.controlplane.route;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The path characters of RFC 3986 ({@code pchar}), strict percent-decoding (UTF-8, malformed
 * escapes refused), the one canonical encoding of a decoded segment, and the reserved first
 * segments no route may take.
 */
final class PathCodec {

    /** First segments the API and Lambda-compatible endpoints own, lower-case. */
    static final List<String> RESERVED = List.of("v1", "healthz", "metrics", "console", "fn", "2015-03-31", "2018-06-01");

    private static final String HEX = "0123456789ABCDEF";

    private PathCodec() {}

    /** An RFC 3986 {@code pchar} other than {@code %}: unreserved, sub-delims, {@code :} and {@code @}. */
    static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
    }

    /**
     * {@code raw} with its {@code %XX} escapes decoded as UTF-8; null when an escape or the UTF-8
     * is malformed, or {@code raw} holds a character that is not ASCII (those must be escaped).
     */
    static String decode(String raw) {
        boolean plain = true;
        for (int i = 0; i < raw.length() && plain; i++) {
            char c = raw.charAt(i);
            plain = c != '%' && c < 0x80;
        }
        if (plain) {
            return raw;
        }
        byte[] bytes = new byte[raw.length()];
        int length = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The one encoding of a decoded segment: path characters as they are, every other byte as upper-case {@code %XX}. */
    static String encode(String decoded) {
        StringBuilder out = new StringBuilder(decoded.length());
        for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && isPathChar(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return out.toString();
    }

    /** Whether a path whose first segment decodes to {@code first} lies under a reserved prefix (case-insensitive). */
    static boolean reserved(String first) {
        for (String name : RESERVED) {
            if (first.regionMatches(true, 0, name, 0, name.length())
                    && (first.length() == name.length() || first.charAt(name.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
