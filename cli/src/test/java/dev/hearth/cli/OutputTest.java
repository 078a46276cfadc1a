package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Output output(Output.Format format, boolean terminal) {
        return new Output(format, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), terminal, 30);
    }

    @Test
    void progress_onATerminal_rewritesOneLine_cutToTheWidth() {
        Output o = output(Output.Format.text, true);
        o.progress("building fn v2 (1 s)");
        o.progress("building fn v2 (2 s) · a very long log line that goes on");
        o.endProgress();
        assertEquals("\r\033[2Kbuilding fn v2 (1 s)\r\033[2Kbuilding fn v2 (2 s) · a ver…\r\033[2K", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void progress_elsewhere_isPlainLines_eachTextOnce() {
        Output o = output(Output.Format.text, false);
        o.progress("queued fn v2");
        o.progress("queued fn v2");
        o.progress("building fn v2");
        o.endProgress();
        assertEquals("queued fn v2\nbuilding fn v2\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonMode_printsNoProgressOrNotes_butWarnings() {
        Output o = output(Output.Format.json, true);
        o.progress("building");
        o.note("a note");
        o.line("a line");
        o.warn("a warning");
        assertEquals("a warning\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void table_padsColumns() {
        Output o = output(Output.Format.text, false);
        o.result(HearthApi.JSON.createObjectNode(), new Output.Table("NAME", "V").row("a-long-name", 1).row("b", null));
        assertEquals("NAME         V\na-long-name  1\nb            -\n", out.toString(StandardCharsets.UTF_8));
    }
}
