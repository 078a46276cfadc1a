package dev.hearth.runtime.java;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Owns the function's log: what it writes to stdout, stderr or its logger becomes lines, kept
 * until the next /run answer drains them tagged with that invocation's request id. At most
 * {@link #MAX_BYTES} of tagged lines are kept per drain; the rest is counted and reported by one
 * final stderr line. Lines written while the function loads go out with its first /run.
 */
final class LogCapture {

    static final int MAX_BYTES = 64 * 1024;
    /** A tagged line's bytes besides its text and the request id: timestamp, three tabs, stream, newline. */
    private static final int TAG_BYTES = 24 + 3 + 6 + 1;

    /** Where a line came from; its tag in the log. */
    enum Stream {
        STDOUT("stdout"), STDERR("stderr");

        final String tag;

        Stream(String tag) {
            this.tag = tag;
        }
    }

    private record Line(long epochMillis, Stream stream, byte[] text, int newline) {
    }

    private final LongSupplier clock;
    private final List<Line> lines = new ArrayList<>();
    private final ByteArrayOutputStream[] partial = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    /** Bytes the kept lines will take once tagged, the request id aside. */
    private int kept;
    /** Bytes the function wrote since the last drain that will not be shown. */
    private long dropped;
    /** Set once a line did not fit: later lines are dropped too, so the log stays a prefix. */
    private boolean truncated;

    LogCapture(LongSupplier clock) {
        this.clock = clock;
    }

    /** A capture fed by {@code System.out} and {@code System.err}, which it replaces. */
    static LogCapture install() {
        LogCapture capture = new LogCapture(System::currentTimeMillis);
        System.setOut(capture.printStream(Stream.STDOUT));
        System.setErr(capture.printStream(Stream.STDERR));
        return capture;
    }

    /** A UTF-8 print stream whose bytes go into this capture, split into lines. */
    PrintStream printStream(Stream stream) {
        return new PrintStream(outputStream(stream), false, StandardCharsets.UTF_8);
    }

    OutputStream outputStream(Stream stream) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                LogCapture.this.write(stream, new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                LogCapture.this.write(stream, b, off, len);
            }
        };
    }

    /** Raw bytes written to a stream: complete lines are kept, the rest waits for its newline. */
    synchronized void write(Stream stream, byte[] bytes, int off, int len) {
        ByteArrayOutputStream pending = partial[stream.ordinal()];
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (pending.size() == 0) {
                add(stream, Arrays.copyOfRange(bytes, start, i), 1);
            } else {
                pending.write(bytes, start, i - start);
                add(stream, pending.toByteArray(), 1);
                pending.reset();
            }
            start = i + 1;
        }
        if (start < end) {
            if (truncated) {
                dropped += end - start;
            } else {
                pending.write(bytes, start, end - start);
                if (pending.size() > MAX_BYTES) {
                    // A line this long cannot be kept; stop buffering it.
                    add(stream, pending.toByteArray(), 0);
                    pending.reset();
                }
            }
        }
    }

    /**
     * A message from the function's logger: its own line(s), whatever the stream has pending. One
     * line separator ending the message (a log4j pattern's {@code %n}) ends its last line rather
     * than starting an empty one; {@code \r\n} separates lines as {@code \n} does.
     */
    synchronized void message(Stream stream, String text) {
        String message = text == null ? "null" : text;
        int start = 0;
        int length = message.endsWith("\n") ? message.length() - 1 : message.length();
        while (true) {
            int newline = message.indexOf('\n', start);
            if (newline < 0 || newline >= length) {
                addLine(stream, message, start, length);
                return;
            }
            addLine(stream, message, start, newline);
            start = newline + 1;
        }
    }

    private void addLine(Stream stream, String message, int start, int end) {
        int stop = end > start && message.charAt(end - 1) == '\r' ? end - 1 : end;
        add(stream, message.substring(start, stop).getBytes(StandardCharsets.UTF_8), 1);
    }

    /** One line; {@code newline} is 1 when the function ended it with one (it counts among dropped bytes). */
    private void add(Stream stream, byte[] text, int newline) {
        if (!truncated && kept + TAG_BYTES + text.length <= MAX_BYTES) {
            lines.add(new Line(clock.getAsLong(), stream, text, newline));
            kept += TAG_BYTES + text.length;
        } else {
            truncated = true;
            dropped += text.length + newline;
        }
    }

    /**
     * Everything captured since the last drain, as tagged lines for {@code requestId} (partial
     * lines included), at most {@link #MAX_BYTES} plus the truncation notice; the capture starts over.
     */
    synchronized byte[] drain(String requestId) {
        for (Stream stream : Stream.values()) {
            ByteArrayOutputStream pending = partial[stream.ordinal()];
            if (pending.size() > 0) {
                add(stream, pending.toByteArray(), 0);
                pending.reset();
            }
        }
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.isEmpty() && dropped == 0 ? 0 : kept + lines.size() * id.length + 160);
        boolean full = false;
        for (Line line : lines) {
            if (full || out.size() + TAG_BYTES + id.length + line.text().length > MAX_BYTES) {
                full = true;
                dropped += line.text().length + line.newline();
                continue;
            }
            writeLine(out, line.epochMillis(), id, line.stream(), line.text());
        }
        if (dropped > 0) {
            byte[] notice = ("[hearth] log truncated: " + dropped + " bytes dropped").getBytes(StandardCharsets.UTF_8);
            writeLine(out, clock.getAsLong(), id, Stream.STDERR, notice);
        }
        lines.clear();
        kept = 0;
        dropped = 0;
        truncated = false;
        return out.toByteArray();
    }

    private static void writeLine(ByteArrayOutputStream out, long epochMillis, byte[] id, Stream stream, byte[] text) {
        out.writeBytes(timestamp(epochMillis).getBytes(StandardCharsets.US_ASCII));
        out.write('\t');
        out.writeBytes(id);
        out.write('\t');
        out.writeBytes(stream.tag.getBytes(StandardCharsets.US_ASCII));
        out.write('\t');
        out.writeBytes(text);
        out.write('\n');
    }

    /** {@code 2026-11-22T03:04:05.678Z}: UTC, always milliseconds (no formatter: it would cost the agent's start). */
    static String timestamp(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(24);
        s.append(t.getYear()).append('-');
        pad(s, t.getMonthValue(), 2).append('-');
        pad(s, t.getDayOfMonth(), 2).append('T');
        pad(s, t.getHour(), 2).append(':');
        pad(s, t.getMinute(), 2).append(':');
        pad(s, t.getSecond(), 2).append('.');
        return pad(s, Math.floorMod(epochMillis, 1000), 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder s, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(digits);
    }
}
