package dev.hearth.runtime.java;

import static dev.hearth.runtime.java.TestSupport.text;
import static dev.hearth.runtime.java.TestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class LogCaptureTest {

    private static final String T = "2026-11-22T03:04:05.678Z";

    private final LogCapture capture = new LogCapture(() -> TestSupport.NOW);
    private final PrintStream out = capture.printStream(LogCapture.Stream.STDOUT);
    private final PrintStream err = capture.printStream(LogCapture.Stream.STDERR);

    @Test
    void drain_lines_areTaggedWithTimeRequestAndStream() {
        out.println("hello");
        err.println("oops\tx");
        assertEquals(T + "\tr1\tstdout\thello\n" + T + "\tr1\tstderr\toops\tx\n", text(capture.drain("r1")));
    }

    @Test
    void drain_nothingWritten_isEmpty() {
        assertEquals(0, capture.drain("r1").length);
    }

    @Test
    void drain_partialLines_areFlushedAtTheEnd() {
        out.print("no newline");
        err.print("a");
        err.print("b");
        assertEquals(T + "\tr\tstdout\tno newline\n" + T + "\tr\tstderr\tab\n", text(capture.drain("r")));
    }

    @Test
    void drain_partialLine_isCompletedByLaterWrites() {
        out.print("one ");
        out.print("line\nnext");
        assertEquals(T + "\tr\tstdout\tone line\n" + T + "\tr\tstdout\tnext\n", text(capture.drain("r")));
    }

    @Test
    void drain_linesWrittenBeforeFirstDrain_goWithIt() {
        out.println("while loading");
        String first = text(capture.drain("first"));
        out.println("second call");
        assertEquals(T + "\tfirst\tstdout\twhile loading\n", first);
        assertEquals(T + "\tsecond\tstdout\tsecond call\n", text(capture.drain("second")));
    }

    @Test
    void drain_utf8Text_isKept() {
        out.println("héllo ✓");
        assertEquals(T + "\tr\tstdout\théllo ✓\n", text(capture.drain("r")));
    }

    @Test
    void logger_messages_areStdoutLinesEach() {
        CapturedLogger logger = new CapturedLogger(capture);
        logger.log("one\ntwo\n");
        logger.log(utf8("bytes"));
        logger.log("leveled", LogLevel.WARN);
        logger.log("plain", LogLevel.UNDEFINED);
        logger.log((String) null);
        assertEquals(T + "\tr\tstdout\tone\n" + T + "\tr\tstdout\ttwo\n" + T + "\tr\tstdout\tbytes\n"
                + T + "\tr\tstdout\t[WARN] leveled\n" + T + "\tr\tstdout\tplain\n" + T + "\tr\tstdout\tnull\n", text(capture.drain("r")));
    }

    @Test
    void logger_bytesWithALevel_areKeptAsTheyAre_oneLineEach() {
        // log4j's LambdaAppender: its laid-out line (ending with the pattern's %n) as bytes, with the event's level.
        CapturedLogger logger = new CapturedLogger(capture);
        logger.log(utf8("2026-11-22 03:04:05 r INFO  Hello:8 - first\n"), LogLevel.INFO);
        logger.log(utf8("2026-11-22 03:04:05 r ERROR Hello:9 - second\r\n"), LogLevel.ERROR);
        assertEquals(T + "\tr\tstdout\t2026-11-22 03:04:05 r INFO  Hello:8 - first\n"
                + T + "\tr\tstdout\t2026-11-22 03:04:05 r ERROR Hello:9 - second\n", text(capture.drain("r")));
    }

    @Test
    void drain_overLimit_keepsAPrefixAndEndsWithOneTruncationLine() {
        String line = "x".repeat(99);
        for (int i = 0; i < 2000; i++) {
            out.println(line);
        }
        String log = text(capture.drain("req"));
        String[] lines = log.split("\n");
        String last = lines[lines.length - 1];
        int kept = lines.length - 1;
        assertTrue(log.length() - last.length() - 1 <= LogCapture.MAX_BYTES, "kept part " + (log.length() - last.length()));
        assertEquals(T + "\treq\tstderr\t[hearth] log truncated: " + (2000 - kept) * 100 + " bytes dropped", last);
        for (int i = 0; i < kept; i++) {
            assertEquals(T + "\treq\tstdout\t" + line, lines[i]);
        }
    }

    @Test
    void drain_afterTruncation_startsOver() {
        for (int i = 0; i < 1000; i++) {
            out.println("y".repeat(200));
        }
        capture.drain("a");
        out.println("fresh");
        assertEquals(T + "\tb\tstdout\tfresh\n", text(capture.drain("b")));
    }

    @Test
    void write_veryLongLineWithoutNewline_isDroppedNotBuffered() {
        out.print("z".repeat(LogCapture.MAX_BYTES * 3));
        out.println();
        out.println("after");
        String log = text(capture.drain("r"));
        assertEquals(T + "\tr\tstderr\t[hearth] log truncated: " + (LogCapture.MAX_BYTES * 3 + 1 + 6) + " bytes dropped\n", log);
    }

    @Test
    void drain_longRequestId_stillKeepsWithinLimit() {
        String id = "i".repeat(200);
        for (int i = 0; i < 700; i++) {
            out.println("w".repeat(50));
        }
        String log = text(capture.drain(id));
        int lastLine = log.lastIndexOf('\n', log.length() - 2) + 1;
        assertTrue(lastLine <= LogCapture.MAX_BYTES, "kept part " + lastLine);
        assertTrue(log.substring(lastLine).contains("[hearth] log truncated: "));
    }

    @Test
    void timestamp_isUtcWithMilliseconds() {
        assertEquals(T, LogCapture.timestamp(TestSupport.NOW));
        assertEquals("1970-01-01T00:00:00.007Z", LogCapture.timestamp(7));
    }
}
