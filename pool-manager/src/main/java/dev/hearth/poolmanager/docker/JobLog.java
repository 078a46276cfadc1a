package dev.hearth.poolmanager.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A job's output as it arrives, chunk by chunk from stdout and stderr: each whole line is handed
 * to a listener the moment it is complete and kept, up to a byte limit. What is kept is always a
 * prefix of the output in whole lines: the first line that does not fit is dropped with everything
 * after it, and counted. A line still unfinished never holds more than the room left, so a job
 * printing one endless line costs no more memory than the limit. Each stream has its own
 * unfinished line, so stdout and stderr interleave by whole lines. Thread-safe.
 */
final class JobLog {

    private final int maxBytes;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final StringBuilder kept = new StringBuilder();
    private final long[] seen = new long[2];
    private int size;
    private long dropped;
    private boolean finished;

    /** @param lines gets each kept line, without its line feed, on the thread that appended its end */
    JobLog(int maxBytes, Consumer<String> lines) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.lines = lines;
    }

    /** More output of one stream. */
    synchronized void append(boolean isStderr, byte[] chunk) {
        seen[isStderr ? 1 : 0] += chunk.length;
        ByteArrayOutputStream partial = isStderr ? stderr : stdout;
        for (int i = 0; i < chunk.length; i++) {
            if (dropped > 0) {
                dropped += chunk.length - i;
                return;
            }
            if (chunk[i] == '\n') {
                keep(partial, 1);
            } else if (size + partial.size() + 1 >= maxBytes) {
                // This line cannot fit even if it ended now (its line feed counts too).
                overflow(chunk.length - i);
                return;
            } else {
                partial.write(chunk[i]);
            }
        }
    }

    /** Bytes of output received so far on one stream, kept or not. */
    synchronized long seen(boolean isStderr) {
        return seen[isStderr ? 1 : 0];
    }

    /**
     * The output's end: unfinished lines count as lines (stdout's first). Returns what was kept,
     * every line ending in a line feed, with a note of what was dropped.
     */
    synchronized String finish() {
        if (!finished) {
            finished = true;
            for (ByteArrayOutputStream partial : new ByteArrayOutputStream[] {stdout, stderr}) {
                if (partial.size() > 0 && dropped == 0) {
                    keep(partial, 0);
                }
            }
        }
        return dropped == 0 ? kept.toString() : kept + "[hearth] log truncated: " + dropped + " bytes dropped\n";
    }

    /** @param lineFeed the line feed that ended it, 1, or 0 for the output's unfinished last line */
    private void keep(ByteArrayOutputStream partial, int lineFeed) {
        if (size + partial.size() + 1 > maxBytes) {
            overflow(lineFeed);
            return;
        }
        String line = partial.toString(StandardCharsets.UTF_8);
        size += partial.size() + 1;
        partial.reset();
        kept.append(line).append('\n');
        lines.accept(line);
    }

    private void overflow(int rest) {
        dropped += stdout.size() + stderr.size() + rest;
        stdout.reset();
        stderr.reset();
    }
}
