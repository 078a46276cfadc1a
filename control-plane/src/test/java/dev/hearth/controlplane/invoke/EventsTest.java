package dev.hearth.controlplane.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
