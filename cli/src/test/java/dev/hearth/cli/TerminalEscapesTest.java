package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI prints that others wrote: a function's log lines (printed from whatever its
 * callers sent it), names and messages from the server. None of it may reach the terminal as an
 * escape sequence (retitling it, clearing it, faking lines, or OSC 52 writing the clipboard).
 */
class TerminalEscapesTest {

    /** OSC 0 (title) ended by BEL, CSI 2J (clear), a carriage return to overwrite the line, C1 CSI, RLO. */
    static final String HOSTILE = "\u001b]0;owned\u0007\u001b[2J\rfake\u009b31m\u202e";
    static final String HOSTILE_JSON = "\\u001b]0;owned\\u0007\\u001b[2J\\rfake\\u009b31m\\u202e";

    @TempDir
    Path dir;
    private FakeServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer(this::handle);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = switch (exchange.getRequestURI().getPath()) {
            case "/v1/functions" -> "{\"functions\":[{\"name\":\"f" + HOSTILE_JSON + "\",\"version\":1,\"runtime\":\"python\","
                    + "\"status\":\"ready\",\"memoryMb\":128,\"timeoutMs\":3000}]}";
            case "/v1/functions/fn/logs" -> "{\"lines\":[{\"timestamp\":\"t\",\"invocationId\":\"i\",\"stream\":\"stdout\","
                    + "\"text\":\"got " + HOSTILE_JSON + "\"}]}";
            default -> null;
        };
        int status = body == null ? 404 : 200;
        if (body == null) {
            body = "{\"error\":{\"type\":\"not_found\",\"message\":\"no function '" + HOSTILE_JSON + "'\"}}";
        }
        FakeServer.send(exchange, status, "application/json", body);
    }

    private FakeServer.Run run(String... args) {
        return server.run(dir, args);
    }

    private static void assertNothingATerminalActsOn(String text) {
        for (char c : text.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f || c == '\u202e',
                    () -> "U+" + Integer.toHexString(c) + " printed in: " + text);
        }
    }

    @Test
    void logLines_areShownWithTheirEscapesWrittenOut() {
        FakeServer.Run run = run("logs", "fn");
        assertEquals(0, run.exit(), run::toString);
        assertNothingATerminalActsOn(run.out());
        assertEquals("t i stdout got \\x1b]0;owned\\x07\\x1b[2J\\x0dfake\\x9b31m\\u202e\n", run.out());
    }

    @Test
    void namesInATable_andTheServersErrorMessage_areShownWithTheirEscapesWrittenOut() {
        FakeServer.Run ls = run("ls");
        assertEquals(0, ls.exit(), ls::toString);
        assertNothingATerminalActsOn(ls.out());
        assertTrue(ls.out().contains("f\\x1b]0;owned"), ls::toString);

        FakeServer.Run get = run("get", "missing");
        assertEquals(4, get.exit(), get::toString);
        assertNothingATerminalActsOn(get.err());
        assertTrue(get.err().startsWith("hearth: no function '\\x1b]0;owned\\x07"), get::toString);
    }

    @Test
    void jsonMode_keepsTheTextAsItIs_escapedByJson() throws IOException {
        FakeServer.Run run = run("-o", "json", "logs", "fn");
        assertNothingATerminalActsOn(run.out());
        assertEquals("got " + HOSTILE, HearthApi.JSON.readTree(run.out()).path("lines").path(0).path("text").asText());
    }

    @Test
    void printable_leavesOrdinaryTextAlone() {
        String text = "héllo\tworld — ✓ 日本";
        assertTrue(text == Output.printable(text, false));
        assertEquals("a\nb", Output.printable("a\nb", true));
        assertEquals("a\\x0ab", Output.printable("a\nb", false));
    }
}
