package dev.hearth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command prints. Results go to stdout: a table or lines in {@code text} mode, one JSON
 * document in {@code json} mode (for scripts: {@code --output json} on every command). Progress
 * and notes go to stderr in text mode only, so stdout stays the result alone.
 *
 * <p>Text mode prints what others wrote (names, messages and build output from the server, log
 * lines a function printed from its callers' requests) through {@link #printable}, so no escape
 * sequence in them reaches the terminal: none retitles it, rewrites what it shows, or answers back.
 */
public final class Output {

    /** The output formats {@code --output} takes. */
    public enum Format { text, json }

    private final Format format;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final int width;
    private String lastProgress;
    private boolean progressShown;

    public Output(Format format, PrintStream out, PrintStream err) {
        this(format, out, err, false, 80);
    }

    /**
     * @param terminal whether stderr is a terminal, where a progress line rewrites itself
     * @param width    the terminal's columns, to keep a progress line on one row
     */
    public Output(Format format, PrintStream out, PrintStream err, boolean terminal, int width) {
        this.format = format;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.width = Math.max(20, width);
    }

    public boolean terminal() {
        return terminal;
    }

    public boolean json() {
        return format == Format.json;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** A result line, in text mode only. */
    public void line(String text) {
        if (!json()) {
            out.println(printable(text, true));
        }
    }

    /** A note or progress line on stderr, in text mode only. */
    public void note(String text) {
        if (!json()) {
            endProgress();
            err.println(printable(text, true));
        }
    }

    /** A line on stderr in every mode: a warning, or a failed build's log. */
    public void warn(String text) {
        endProgress();
        err.println(printable(text, true));
    }

    /**
     * The text with what a terminal would act on written out instead (ESC as {@code \x1b}, U+202E as {@code \\u202e}):
     * control characters but tab (and line feed, when {@code keepLineFeeds}), DEL, the C1 controls
     * and the bidirectional overrides, which would show text in another order than it is.
     */
    public static String printable(String text, boolean keepLineFeeds) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = c < 0x20 && c != '\t' && !(c == '\n' && keepLineFeeds) || c >= 0x7f && c <= 0x9f
                    || c == 0x061c || c == 0x200e || c == 0x200f || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
            if (escape && shown == null) {
                shown = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escape) {
                shown.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (shown != null) {
                shown.append(c);
            }
        }
        return shown == null ? text : shown.toString();
    }

    /**
     * A progress line on stderr, in text mode only: on a terminal it rewrites itself in place
     * (cut to the terminal's width), elsewhere each new text is one plain line.
     */
    public void progress(String text) {
        if (json() || text.equals(lastProgress) && !terminal) {
            return;
        }
        lastProgress = text;
        text = printable(text, false);
        if (terminal) {
            String shown = text.length() > width - 1 ? text.substring(0, width - 2) + "…" : text;
            err.print("\r\033[2K" + shown);
            err.flush();
            progressShown = true;
        } else {
            err.println(text);
        }
    }

    /** Clears a terminal's progress line, so what follows starts on a clean row. */
    public void endProgress() {
        if (progressShown) {
            err.print("\r\033[2K");
            err.flush();
            progressShown = false;
        }
        lastProgress = null;
    }

    /** The command's JSON result, in json mode only. */
    public void document(JsonNode node) {
        if (json()) {
            out.println(json(node, PRETTY));
        }
    }

    /**
     * One JSON document on one line (JSON Lines, for output that follows), as {@link #document}
     * writes it: non-ASCII characters escaped, so text from others read back is the same and a
     * terminal shown it acts on nothing (JSON escapes C0 controls only, not C1 or bidi overrides).
     */
    public static String jsonLine(JsonNode node) {
        return json(node, LINE);
    }

    private static final ObjectWriter PRETTY = HearthApi.JSON.writerWithDefaultPrettyPrinter()
            .with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
    private static final ObjectWriter LINE = HearthApi.JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

    private static String json(JsonNode node, ObjectWriter writer) {
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result as a JSON document or as a table, whichever mode this is. */
    public void result(JsonNode node, Table table) {
        if (json()) {
            document(node);
        } else {
            table.print(out);
        }
    }

    /** A plain text table: columns padded to their widest cell, no borders. */
    public static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final int columns;

        public Table(String... headers) {
            this.columns = headers.length;
            rows.add(headers);
        }

        public Table row(Object... cells) {
            String[] row = new String[columns];
            for (int i = 0; i < columns; i++) {
                Object cell = i < cells.length ? cells[i] : null;
                row[i] = cell == null ? "-" : printable(String.valueOf(cell), false);
            }
            rows.add(row);
            return this;
        }

        public boolean isEmpty() {
            return rows.size() == 1;
        }

        void print(PrintStream out) {
            print(out, 0);
        }

        /** The rows alone, for key-value listings whose header says nothing. */
        public void printWithoutHeader(PrintStream out) {
            print(out, 1);
        }

        private void print(PrintStream out, int from) {
            int[] widths = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            StringBuilder line = new StringBuilder();
            for (String[] row : rows.subList(from, rows.size())) {
                line.setLength(0);
                for (int i = 0; i < columns; i++) {
                    line.append(row[i]);
                    if (i < columns - 1) {
                        line.append(" ".repeat(widths[i] - row[i].length() + 2));
                    }
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
