package dev.hearth.controlplane.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventsTest {

    static String event(String body) {
        return new String(Events.fromBody(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void json_isPassedThroughUntouched() {
        byte[] body = "{ \"a\" : [1, 2.50, \"x\"] }".getBytes(StandardCharsets.UTF_8);
        assertSame(body, Events.fromBody(body));
        assertEquals("42", event("42"));
        assertEquals("\"text\"", event("\"text\""));
        assertEquals("null", event("null"));
    }

    @Test
    void nonJson_becomesAJsonString() {
        assertEquals("\"hello world\"", event("hello world"));
        assertEquals("\"{\\\"a\\\":1} trailing\"", event("{\"a\":1} trailing"), "trailing garbage is not JSON");
        assertEquals("\"[1,2\"", event("[1,2"));
        assertEquals("\"line1\\nline2\"", event("line1\nline2"));
    }

    @Test
    void empty_becomesAnEmptyObject() {
        assertEquals("{}", event(""));
    }

    @Test
    void bytesThatAreNotUtf8_becomeAString_evenWhereJacksonWouldReadThem() {
        // An overlong '/' and an encoded surrogate: Jackson reads both, the agents refuse them.
        for (byte[] bad : new byte[][] {{'"', (byte) 0xC0, (byte) 0xAF, '"'}, {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}}) {
            String event = new String(Events.fromBody(bad), StandardCharsets.UTF_8);
            assertTrue(event.startsWith("\"\\\"") && event.endsWith("\\\"\""), event);
        }
        assertEquals("\"ünï\"", event("\"ünï\""));
    }

    @Test
    void numbersPastADouble_are400_whileLongOnesWithinRangePass() {
        for (String body : new String[] {"1e999999", "[1, -1e400]", "{\"a\":{\"b\":1" + "0".repeat(400) + "}}"}) {
            dev.hearth.controlplane.http.ApiException e = assertThrows(dev.hearth.controlplane.http.ApiException.class, () -> event(body));
            assertEquals(400, e.status());
        }
        assertEquals("123456789012345678901234567890", event("123456789012345678901234567890"));
        assertEquals("[1e300, -0, 0.5]", event("[1e300, -0, 0.5]"));
    }
}
