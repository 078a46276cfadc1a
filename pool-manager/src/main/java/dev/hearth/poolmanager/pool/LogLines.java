package dev.hearth.poolmanager.pool;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns a raw output stream into the agents' tagged log format
 * ({@code time<TAB>request id<TAB>stream<TAB>text\n}), each line stamped when it arrived, kept
 * up to a byte limit and then counted as dropped, as the agents do.
 */
final class LogLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String invocationId;
    private final String stream;
    private final int maxBytes;
    private final Clock clock;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final StringBuilder out = new StringBuilder();
    private int size;
    private long dropped;

    LogLines(String invocationId, String stream, int maxBytes, Clock clock) {
        this.invocationId = invocationId;
        this.stream = stream;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    void append(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                line();
            } else {
                partial.write(b);
            }
        }
    }

    private void line() {
        String text = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        String tagged = TIME.format(clock.instant()) + "\t" + invocationId + "\t" + stream + "\t" + text + "\n";
        int bytes = tagged.getBytes(StandardCharsets.UTF_8).length;
        if (dropped > 0 || size + bytes > maxBytes) {
            dropped += text.getBytes(StandardCharsets.UTF_8).length + 1;
            return;
        }
        out.append(tagged);
        size += bytes;
    }

    /** The lines so far, an unfinished last line included, and a note of what was dropped. */
    byte[] bytes() {
        if (partial.size() > 0) {
            line();
        }
        String text = out.toString();
        if (dropped > 0) {
            text += TIME.format(clock.instant()) + "\t" + invocationId + "\tstderr\t[hearth] log truncated: " + dropped + " bytes dropped\n";
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
