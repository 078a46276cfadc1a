package dev.hearth.controlplane.stream;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Server-Sent Events framing (the WHATWG HTML standard, section 9.2): {@code event: NAME}, one
 * {@code data: } line per line of data, a blank line; comments are {@code : TEXT}. Data is
 * Hearth's JSON, which has no line breaks of its own (Jackson escapes every control character),
 * and any line break it held anyway (CR, LF or CRLF, the three the standard splits on) would start
 * another {@code data:} line of the same event: a tenant's text can never end an event early or
 * start one of its own.
 */
public final class SseFrames {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z-]{0,31}");
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private SseFrames() {}

    /** One event: {@code event: name}, then {@code data: } lines, then a blank line. */
    public static byte[] event(String name, String data) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an event name: " + name);
        }
        StringBuilder frame = new StringBuilder(data.length() + name.length() + 16).append("event: ").append(name).append('\n');
        for (String line : LINE_BREAK.split(data, -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment, which clients ignore (a keep-alive), followed by a blank line like an event. */
    public static byte[] comment(String text) {
        if (LINE_BREAK.matcher(text).find()) {
            throw new IllegalArgumentException("a comment is one line");
        }
        return (": " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
