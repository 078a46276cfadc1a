package dev.hearth.controlplane.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void taggedLines_areSplitIntoTheirFields_withTheRecordsIdAndVersion() {
        List<LogLine> lines = LogLine.of("inv-1", 3, AT,
                "2026-01-02T03:04:05.100Z\tinv-1\tstdout\thello\n2026-01-02T03:04:05.200Z\tinv-1\tstderr\toops\n");
        assertEquals(List.of(
                new LogLine("2026-01-02T03:04:05.100Z", "inv-1", 3, "stdout", "hello"),
                new LogLine("2026-01-02T03:04:05.200Z", "inv-1", 3, "stderr", "oops")), lines);
    }

    @Test
    void tabsAndCarriageReturnsInTheText_stayInTheText() {
        List<LogLine> lines = LogLine.of("inv-1", 1, AT, "t\tinv-1\tstdout\ta\tb\rc\n");
        assertEquals("a\tb\rc", lines.get(0).text());
    }

    @Test
    void anUntaggedLine_isShownWhole_asStdoutAtTheRecordsTime() {
        List<LogLine> lines = LogLine.of("inv-1", 1, AT, "just text\nt\tinv-1\tnot-a-stream\tx");
        assertEquals(new LogLine(AT.toString(), "inv-1", 1, "stdout", "just text"), lines.get(0));
        assertEquals("t\tinv-1\tnot-a-stream\tx", lines.get(1).text());
    }

    @Test
    void theIdIsAlwaysTheRecordsOwn_notWhatTheLineClaims() {
        assertEquals("inv-1", LogLine.of("inv-1", 1, AT, "t\tinv-OTHER\tstdout\tx").get(0).invocationId());
    }

    @Test
    void noLogs_noLines() {
        assertEquals(List.of(), LogLine.of("inv-1", 1, AT, ""));
        assertEquals(List.of(), LogLine.of("inv-1", 1, AT, null));
    }
}
