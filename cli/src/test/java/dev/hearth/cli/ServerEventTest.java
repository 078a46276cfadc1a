package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerEventTest {

    private static List<ServerEvent> parse(String text) {
        ServerEvent.Parser parser = new ServerEvent.Parser();
        List<ServerEvent> events = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            ServerEvent event = parser.line(line);
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void buildStream_asTheContractWritesIt() {
        List<ServerEvent> events = parse("""
                event: status
                data: {"version":2,"status":"queued"}

                : keep-alive

                event: log
                data: {"line":"[INFO] Building words 1.0"}

                event: end
                data: {"version":2,"status":"succeeded","log":"..."}

                """);
        assertEquals(3, events.size());
        assertEquals("status", events.get(0).name());
        assertEquals(2, events.get(0).json().path("version").asInt());
        assertEquals("[INFO] Building words 1.0", events.get(1).json().path("line").asText());
        assertEquals("succeeded", events.get(2).json().path("status").asText());
    }

    @Test
    void multiLineData_isJoinedWithNewlines_andOneLeadingSpaceDropped() {
        List<ServerEvent> events = parse("data:first\ndata:  second\n\n");
        assertEquals(List.of(new ServerEvent("message", "first\n second")), events);
    }

    @Test
    void commentsIdsAndRetries_areIgnored_andAnEventWithoutData_isNotDispatched() {
        List<ServerEvent> events = parse(": hello\nid: 7\nretry: 1000\nevent: status\n\nevent: log\ndata\n\n");
        assertEquals(List.of(new ServerEvent("log", "")), events);
    }

    @Test
    void anUnfinishedEvent_atTheEnd_isNotDispatched() {
        assertEquals(List.of(), parse("event: log\ndata: {\"line\":\"cut\"}"));
    }

    @Test
    void notJson_isAMissingNode() {
        assertEquals(true, new ServerEvent("log", "not json").json().isMissingNode());
    }
}
