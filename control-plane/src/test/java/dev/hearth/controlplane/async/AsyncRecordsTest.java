package dev.hearth.controlplane.async;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Updates;
import dev.hearth.controlplane.OwnStore;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every move of a record's status, on the embedded store's engine in memory, with a clock moved by hand. */
class AsyncRecordsTest {

    private final OwnStore store = OwnStore.start();
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    private final AsyncRecords records = new AsyncRecords(store.database().getCollection("async"), 3, Duration.ofSeconds(1), clock);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void create_storesAQueuedRecordDueNow_withItsEvent() {
        records.create("a", "ann", "f1", "greet", null, "{}".getBytes(StandardCharsets.UTF_8), null);
        Document a = record("a");
        assertEquals("queued", a.getString("status"));
        assertEquals(0, a.getInteger("attempts"));
        assertEquals(Date.from(clock.instant()), a.getDate("nextAttemptAt"));
        assertNotNull(a.get("event"));
        assertEquals(1, records.unfinished("ann"));
    }

    @Test
    void queuedRunningSucceeded_endsWithTheResult_andCountsNoLongerAsUnfinished() {
        records.create("a", "ann", "f1", "greet", null, new byte[0], null);
        records.start(record("a"));
        assertEquals("running", record("a").getString("status"));
        assertEquals(Date.from(clock.instant()), record("a").getDate("startedAt"));

        AsyncRecords.Move move = records.afterAttempt(record("a"), invocation(new Outcome.Success("42".getBytes())), 1, null);
        assertEquals(new AsyncRecords.Move(AsyncStatus.SUCCEEDED, true, null), move);
        Document a = record("a");
        assertEquals("succeeded", a.getString("status"));
        assertEquals("42", a.getString("result"));
        assertEquals(1, a.getInteger("attempts"));
        assertNull(a.get("event"), "an ended record lets go of its event");
        assertEquals(0, records.unfinished("ann"));
    }

    @Test
    void functionErrors_areRetriedWithBackoff_untilTheLastAttemptDeadLetters() {
        records.create("a", "ann", "f1", "broken", null, new byte[0], null);
        Invocation failing = invocation(Outcome.FunctionError.of("ValueError", "bad"));

        records.start(record("a"));
        AsyncRecords.Move first = records.afterAttempt(record("a"), failing, 1, null);
        assertEquals(new AsyncRecords.Move(AsyncStatus.FAILED, true, Duration.ofSeconds(1)), first);
        assertEquals("failed", record("a").getString("status"));
        assertEquals(Date.from(clock.instant().plusSeconds(1)), record("a").getDate("nextAttemptAt"));

        clock.advance(Duration.ofSeconds(1));
        records.start(record("a"));
        assertEquals("running", record("a").getString("status"), "failed → running when the retry is due");
        assertEquals(Duration.ofSeconds(2), records.afterAttempt(record("a"), failing, 1, null).retryAfter(), "doubled");

        clock.advance(Duration.ofSeconds(2));
        records.start(record("a"));
        assertEquals(new AsyncRecords.Move(AsyncStatus.DEAD_LETTERED, true, null), records.afterAttempt(record("a"), failing, 1, null));
        Document a = record("a");
        assertEquals("dead-lettered", a.getString("status"));
        assertEquals(3, a.getInteger("attempts"));
        assertEquals(new Document("type", "ValueError").append("message", "bad"), a.get("error", Document.class));
        assertEquals(List.of("failed", "failed", "failed"),
                a.getList("history", Document.class).stream().map(step -> step.getString("status")).toList());
    }

    @Test
    void aPlatformRefusal_queuesARunningRecordAgain_withoutCountingAnAttempt() {
        records.create("a", "ann", "f1", "greet", null, new byte[0], null);
        records.start(record("a"));
        records.requeue("a", Duration.ofSeconds(5));
        Document a = record("a");
        assertEquals("queued", a.getString("status"));
        assertEquals(0, a.getInteger("attempts"));
        assertEquals(Date.from(clock.instant().plusSeconds(5)), a.getDate("nextAttemptAt"));
    }

    @Test
    void deadLetter_endsAWaitingRecord_keepingWhatEarlierAttemptsLeft() {
        records.create("a", "ann", "f1", "greet", null, new byte[0], null);
        AsyncRecords.Move move = records.deadLetter(record("a"), "FunctionGone", "deleted");
        assertEquals(new AsyncRecords.Move(AsyncStatus.DEAD_LETTERED, true, null), move);
        assertEquals("dead-lettered", record("a").getString("status"));
        assertEquals(0, record("a").getInteger("attempts"));
    }

    @Test
    void illegalMoves_areRefused_andLeaveTheRecordAsItWas() {
        records.create("q", "ann", "f1", "greet", null, new byte[0], null);
        AsyncRecords.Move unstarted = records.afterAttempt(record("q"), invocation(new Outcome.Success("1".getBytes())), 1, null);
        assertFalse(unstarted.made(), "queued → succeeded skips running");
        assertEquals("queued", record("q").getString("status"));
        assertNull(record("q").getString("result"));

        records.requeue("q", Duration.ofSeconds(5));
        assertEquals(Date.from(clock.instant()), record("q").getDate("nextAttemptAt"), "only a running record is queued again");

        records.start(record("q"));
        records.afterAttempt(record("q"), invocation(new Outcome.Success("1".getBytes())), 1, null);
        assertFalse(records.deadLetter(record("q"), "EventTooOld", "late").made(), "a final status is final");
        records.start(record("q"));
        assertEquals("succeeded", record("q").getString("status"));
        assertFalse(records.afterAttempt(record("q"), invocation(new Outcome.Success("2".getBytes())), 1, null).made(),
                "a second worker finishing the same job does not end it twice");
        assertEquals("1", record("q").getString("result"));
    }

    @Test
    void resumeInterrupted_queuesOnlyWhatWasRunning_dueNow() {
        records.create("run", "ann", "f1", "greet", null, new byte[0], null);
        records.create("wait", "ann", "f1", "greet", null, new byte[0], null);
        records.create("done", "ann", "f1", "greet", null, new byte[0], null);
        records.start(record("run"));
        records.start(record("done"));
        records.afterAttempt(record("done"), invocation(new Outcome.Success("1".getBytes())), 1, null);
        store.database().getCollection("async").updateOne(eq("_id", "wait"), Updates.set("nextAttemptAt", Date.from(clock.instant().plusSeconds(60))));
        clock.advance(Duration.ofSeconds(10));

        records.resumeInterrupted();

        assertEquals("queued", record("run").getString("status"));
        assertEquals(Date.from(clock.instant()), record("run").getDate("nextAttemptAt"));
        assertEquals("queued", record("wait").getString("status"));
        assertEquals(Date.from(clock.instant().plusSeconds(50)), record("wait").getDate("nextAttemptAt"), "untouched");
        assertEquals("succeeded", record("done").getString("status"));
    }

    @Test
    void newest_listsAFunctionsRecords_newestFirst_optionallyInOneStatus() {
        records.create("old", "ann", "f1", "greet", null, new byte[0], null);
        clock.advance(Duration.ofSeconds(1));
        records.create("new", "ann", "f1", "greet", null, new byte[0], null);
        records.create("other", "ann", "f2", "other", null, new byte[0], null);
        records.start(record("new"));
        assertEquals(List.of("new", "old"), ids(records.newest("f1", null, 10)));
        assertEquals(List.of("old"), ids(records.newest("f1", AsyncStatus.QUEUED, 10)));
        assertTrue(records.get("bob", "old").isEmpty(), "another owner's record is not found");
    }

    /** An attempt's outcome as the pool manager hands it over. */
    private static Invocation invocation(Outcome outcome) {
        return new Invocation("id", StartKind.WARM, outcome, 1, 2, "a log line\n".getBytes(StandardCharsets.UTF_8), "local");
    }

    private Document record(String id) {
        return records.get(id).orElseThrow();
    }

    private static List<String> ids(List<Document> documents) {
        return documents.stream().map(d -> d.getString("_id")).toList();
    }
}
