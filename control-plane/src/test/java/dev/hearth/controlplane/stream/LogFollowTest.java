package dev.hearth.controlplane.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.controlplane.invocation.InvocationLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFollowTest {

    private final RecordingSink sink = new RecordingSink();

    private static Logged logged(String id, long version, String alias, String text) {
        return new Logged("fn-1", id, id, version, alias, Instant.parse("2026-01-01T00:00:00Z"),
                "2026-01-01T00:00:00.000Z\t" + id + "\tstdout\t" + text + "\n");
    }

    private static String event(String id, long version, String text) {
        return "log {\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"invocationId\":\"" + id + "\",\"version\":" + version
                + ",\"stream\":\"stdout\",\"text\":\"" + text + "\"}";
    }

    @Test
    void whatIsLoggedWhileTheTailIsRead_followsTheTail_onceEach() {
        LogFollow follow = new LogFollow(sink, "ann", "fn", "fn-1", InvocationLog.Filter.ALL);
        follow.logged(logged("b", 1, null, "in both"));
        follow.logged(logged("c", 1, null, "only live"));
        assertEquals(List.of(), sink.events(), "nothing goes out before the tail");
        follow.start(List.of(logged("a", 1, null, "old"), logged("b", 1, null, "in both")));
        follow.logged(logged("d", 1, null, "later"));
        assertEquals(List.of(event("a", 1, "old"), event("b", 1, "in both"), event("c", 1, "only live"), event("d", 1, "later")),
                sink.events());
    }

    @Test
    void theFilter_holdsForLiveInvocations() {
        LogFollow follow = new LogFollow(sink, "ann", "fn", "fn-1", new InvocationLog.Filter(null, "live"));
        follow.start(List.of());
        follow.logged(logged("a", 1, null, "no alias"));
        follow.logged(logged("b", 2, "live", "through live"));
        assertEquals(List.of(event("b", 2, "through live")), sink.events());
    }

    @Test
    void gone_endsOnce_andNothingFollows() {
        LogFollow follow = new LogFollow(sink, "ann", "fn", "fn-1", InvocationLog.Filter.ALL);
        follow.start(List.of());
        Map<String, Object> error = Map.of("error", Map.of("type", "not_found"));
        follow.gone(error);
        follow.gone(error);
        follow.logged(logged("a", 1, null, "after"));
        assertEquals(List.of("end {\"error\":{\"type\":\"not_found\"}}"), sink.events());
    }

    @Test
    void aLineThatLooksLikeEvents_isOneLogEventOfEscapedJson() {
        LogFollow follow = new LogFollow(sink, "ann", "fn", "fn-1", InvocationLog.Filter.ALL);
        follow.start(List.of(logged("a", 1, null, "x\revent: forged\r")));
        assertEquals(List.of(event("a", 1, "x\\revent: forged\\r")), sink.events());
    }

    @Test
    void theEarlyQueue_isBounded() {
        LogFollow follow = new LogFollow(sink, "ann", "fn", "fn-1", InvocationLog.Filter.ALL);
        for (int i = 0; i < LogFollow.MAX_EARLY + 5; i++) {
            follow.logged(logged("i" + i, 1, null, "n"));
        }
        follow.start(List.of());
        assertEquals(LogFollow.MAX_EARLY, sink.events().size());
        assertEquals(event("i5", 1, "n"), sink.events().get(0), "the oldest were left out");
    }
}
