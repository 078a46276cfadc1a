package dev.hearth.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.cli.ServerEvent;
import org.junit.jupiter.api.Test;

class LogTailTest {

    @Test
    void lines_areReadFromTheStreamsEvents_andFromRecordEntries() {
        ServerEvent.Parser parser = new ServerEvent.Parser();
        parser.line("event: log");
        parser.line("data: {\"timestamp\":\"2026-01-01T00:00:00Z\",\"invocationId\":\"i1\",\"version\":3,\"stream\":\"stderr\",\"text\":\"boom\"}");
        ServerEvent event = parser.line("");
        assertEquals(new LogTail.Line("2026-01-01T00:00:00Z", "i1", 3, "stderr", "boom"), LogTail.Line.ofEvent(event.json()));

        assertEquals(new LogTail.Line("2026-01-01T00:00:00Z", "i2", 4, "stdout", "a\tb"),
                LogTail.Line.ofRecordEntry("2026-01-01T00:00:00Z\ti2\tstdout\ta\tb", 4), "a tab in the text stays in it");
        assertEquals(new LogTail.Line("", "", 4, "", "[Hearth: 120 bytes dropped]"),
                LogTail.Line.ofRecordEntry("[Hearth: 120 bytes dropped]", 4), "an entry of another form is its text");
    }
}
