package dev.hearth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command prints. Results go to stdout: a table or lines in {@code text} mode, one JSON
 * document in {@code json} mode (for scripts: {@code --output json} on every command). Progress
 * and notes go to stderr in text mode only, so stdout stays the result alone.
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
            out.println(text);
        }
    }

    /** A note or progress line on stderr, in text mode only. */
    public void note(String text) {
        if (!json()) {
            endProgress();
            err.println(text);
        }
    }

    /** A line on stderr in every mode: a warning, or a failed build's log. */
    public void warn(String text) {
        endProgress();
        err.println(text);
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
            try {
                out.println(HearthApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
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
                row[i] = cell == null ? "-" : String.valueOf(cell);
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
