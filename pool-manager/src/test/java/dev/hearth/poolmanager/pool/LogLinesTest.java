package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogLinesTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T03:04:05.678Z"), ZoneOffset.UTC);

    @Test
    void linesSplitAcrossChunks_areTaggedOnce_andAnUnfinishedLastLineIsKept() {
        var lines = new LogLines("req-1", "stderr", 1024, clock);
        lines.append("first li".getBytes(StandardCharsets.UTF_8));
        lines.append("ne\nsecond\nthi".getBytes(StandardCharsets.UTF_8));
        lines.append("rd".getBytes(StandardCharsets.UTF_8));
        assertEquals("""
                2026-11-22T03:04:05.678Z\treq-1\tstderr\tfirst line
                2026-11-22T03:04:05.678Z\treq-1\tstderr\tsecond
                2026-11-22T03:04:05.678Z\treq-1\tstderr\tthird
                """, new String(lines.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void pastTheLimit_linesAreDropped_andCounted() {
        var lines = new LogLines("r", "stderr", 160, clock);
        lines.append("x".repeat(40).concat("\n").repeat(5).getBytes(StandardCharsets.UTF_8));
        String text = new String(lines.bytes(), StandardCharsets.UTF_8);
        assertEquals(2, text.lines().filter(l -> l.endsWith("x".repeat(40))).count(), text);
        assertTrue(text.endsWith("[hearth] log truncated: 123 bytes dropped\n"), text);
    }
}
