package dev.hearth.controlplane.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line a function printed, as {@code …/logs} shows it. Invocation records keep lines tagged
 * {@code time<TAB>invocation id<TAB>stdout|stderr<TAB>text}; a line not tagged so (none should be)
 * is shown whole, as stdout at the record's time. The invocation id is always the record's own.
 *
 * @param stream {@code stdout} or {@code stderr}
 */
public record LogLine(String timestamp, String invocationId, long version, String stream, String text) {

    public LogLine {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(invocationId, "invocationId");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }

    /** The lines of one record's {@code logs}, split at line feeds only (a carriage return is text). */
    static List<LogLine> of(String invocationId, long version, Instant at, String logs) {
        List<LogLine> lines = new ArrayList<>();
        if (logs == null || logs.isEmpty()) {
            return lines;
        }
        for (String line : logs.split("\n")) {
            String[] tagged = line.split("\t", 4);
            if (tagged.length == 4 && (tagged[2].equals("stdout") || tagged[2].equals("stderr"))) {
                lines.add(new LogLine(tagged[0], invocationId, version, tagged[2], tagged[3]));
            } else {
                lines.add(new LogLine(at.toString(), invocationId, version, "stdout", line));
            }
        }
        return lines;
    }
}
