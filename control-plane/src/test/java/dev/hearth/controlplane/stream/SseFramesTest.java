package dev.hearth.controlplane.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramesTest {

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    void event_isItsNameAndDataLine_thenABlankLine() {
        assertEquals("event: log\ndata: {\"line\":\"x\"}\n\n", text(SseFrames.event("log", "{\"line\":\"x\"}")));
    }

    @Test
    void lineBreaksInData_startMoreDataLinesOfTheSameEvent_neverANewEvent() {
        String frame = text(SseFrames.event("log", "a\n\nevent: forged\r\ndata: x\rb"));
        assertEquals("event: log\ndata: a\ndata: \ndata: event: forged\ndata: data: x\ndata: b\n\n", frame);
        // What a client reads: one event whose data joins the data lines with LF, never a blank line inside.
        assertEquals(1, frame.split("\n\n", -1).length - 1);
    }

    @Test
    void utf8_isWrittenAsUtf8() {
        assertEquals("event: log\ndata: ✓ é\n\n", text(SseFrames.event("log", "✓ é")));
    }

    @Test
    void comment_isAColonLine_thenABlankLine() {
        assertEquals(": keep-alive\n\n", text(SseFrames.comment("keep-alive")));
    }

    @Test
    void eventNamesAndComments_cannotCarryLineBreaks() {
        assertThrows(IllegalArgumentException.class, () -> SseFrames.event("log\ndata: x", "{}"));
        assertThrows(IllegalArgumentException.class, () -> SseFrames.event("", "{}"));
        assertThrows(IllegalArgumentException.class, () -> SseFrames.comment("a\nevent: b"));
    }
}
