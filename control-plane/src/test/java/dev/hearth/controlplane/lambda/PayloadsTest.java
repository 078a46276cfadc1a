package dev.hearth.controlplane.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonPassesThrough_emptyIsAnEmptyObject() {
        assertArrayEquals(utf8("[1, {\"a\": \"b\"}]"), Payloads.event(utf8("[1, {\"a\": \"b\"}]")));
        assertArrayEquals(utf8("\"text\""), Payloads.event(utf8("\"text\"")));
        assertArrayEquals(utf8("{}"), Payloads.event(new byte[0]));
    }

    @Test
    void notJson_isInvalidRequestContent() {
        for (String body : new String[] {"not json", "{\"a\":", "{} {}", "1e999"}) {
            LambdaError e = assertThrows(LambdaError.class, () -> Payloads.event(utf8(body)), body);
            assertEquals("InvalidRequestContentException", e.code());
            assertEquals(400, e.status());
        }
        assertThrows(LambdaError.class, () -> Payloads.event(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}));
    }

    @Test
    void clientContext_mustBeBase64OfAJsonObject() {
        assertNull(Payloads.clientContext(null));
        String context = Base64.getEncoder().encodeToString(utf8("{\"custom\":{\"a\":1}}"));
        assertEquals(context, Payloads.clientContext(" " + context + " "), "passed on trimmed");
        assertThrows(LambdaError.class, () -> Payloads.clientContext("%%%"));
        assertThrows(LambdaError.class, () -> Payloads.clientContext(Base64.getEncoder().encodeToString(utf8("[1]"))));
        assertThrows(LambdaError.class, () -> Payloads.clientContext("A".repeat(Payloads.MAX_CLIENT_CONTEXT + 1)));
    }

    @Test
    void logTail_isTheLast4KB_fromAWholeCharacter() {
        assertEquals("", new String(Base64.getDecoder().decode(Payloads.logTail(new byte[0]))));
        assertEquals("short\n", new String(Base64.getDecoder().decode(Payloads.logTail(utf8("short\n")))));
        // 4095 bytes of 'é' (2 bytes each) and an 'x': the tail starts inside a character, which is skipped.
        byte[] log = utf8("é".repeat(3000) + "x");
        byte[] tail = Base64.getDecoder().decode(Payloads.logTail(log));
        assertEquals(Payloads.LOG_TAIL_BYTES - 1, tail.length);
        assertEquals("é".repeat(2047) + "x", new String(tail, StandardCharsets.UTF_8));
    }
}
