package dev.hearth.controlplane.async;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import dev.hearth.controlplane.OwnStore;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded queue moves work and writes nothing but its claim marks; waits are on latches, never sleeps. */
class StoreQueueTest {

    private final OwnStore store = OwnStore.start();
    private final MongoCollection<Document> async = store.database().getCollection("async");
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    private final AsyncRecords records = new AsyncRecords(async, 3, Duration.ofSeconds(1), clock);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void start_dropsClaimsAStoppedProcessLeft_withoutTouchingAStatus() {
        create("failed", "ann");
        async.updateOne(eq("_id", "failed"), Updates.combine(Updates.set("status", "failed"), Updates.set("claimed", true)));
        create("running", "ann");
        records.start(records.get("running").orElseThrow());
        async.updateOne(eq("_id", "running"), Updates.set("claimed", true));

        try (var queue = new StoreQueue(async, 1, 1, clock)) {
            assertNull(field("failed", "claimed"));
            assertNull(field("running", "claimed"));
            assertEquals("failed", field("failed", "status"));
            assertEquals("running", field("running", "status"), "putting a running record back is AsyncRecords' move, not the queue's");
        }
    }

    @Test
    void dueRecords_areDeliveredWithTheirEvent_andTheQueueWritesNoStatus() throws Exception {
        create("first", "ann");
        create("second", "ann");
        create("later", "ann");
        async.updateOne(eq("_id", "later"), Updates.set("nextAttemptAt", Date.from(clock.instant().plusSeconds(60))));
        create("running", "bob");
        records.start(records.get("running").orElseThrow());

        Map<String, Document> seen = new ConcurrentHashMap<>();
        Map<String, byte[]> events = new ConcurrentHashMap<>();
        Map<String, Document> firstWhenSecondRan = new ConcurrentHashMap<>();
        CountDownLatch both = new CountDownLatch(2);
        // One worker: the second delivery starts only once the first one's has ended.
        try (var queue = new StoreQueue(async, 1, 1, clock)) {
            queue.start(delivery -> {
                if (seen.putIfAbsent(delivery.id(), record(delivery.id())) != null) {
                    return;
                }
                events.put(delivery.id(), delivery.event());
                if (delivery.id().equals("second")) {
                    firstWhenSecondRan.put("first", record("first"));
                }
                // What a worker does: the record's moves go through AsyncRecords.
                records.start(records.get(delivery.id()).orElseThrow());
                records.afterAttempt(records.get(delivery.id()).orElseThrow(), new dev.hearth.poolmanager.Invocation(
                        delivery.id(), dev.hearth.poolmanager.StartKind.WARM, new dev.hearth.poolmanager.Outcome.Success(
                        "1".getBytes(StandardCharsets.UTF_8)), 0, 0, null, "local"), 1, null);
                both.countDown();
            });
            queue.enqueue("first", "ann");
            assertTrue(both.await(10, TimeUnit.SECONDS), "both due records delivered");
        }
        assertEquals(List.of("first", "second"), seen.keySet().stream().sorted().toList());
        for (Document delivered : seen.values()) {
            assertEquals(true, delivered.getBoolean("claimed"), "claimed while its delivery runs");
            assertEquals("queued", delivered.getString("status"), "the queue does not mark it running");
        }
        assertArrayEquals("{\"n\":1}".getBytes(StandardCharsets.UTF_8), events.get("first"));
        Document first = firstWhenSecondRan.get("first");
        assertNull(first.get("claimed"), "its claim dropped once its delivery ended");
        assertEquals("succeeded", first.getString("status"), "the worker's move stands: the queue wrote no status over it");
        assertEquals("queued", field("later", "status"));
        assertEquals("running", field("running", "status"));
    }

    @Test
    void aRecordComingDue_isDeliveredOnceTheClockPassesItsTime() throws Exception {
        create("retry", "ann");
        async.updateOne(eq("_id", "retry"), Updates.combine(Updates.set("status", "failed"),
                Updates.set("nextAttemptAt", Date.from(clock.instant().plusSeconds(5)))));
        CountDownLatch delivered = new CountDownLatch(1);
        try (var queue = new StoreQueue(async, 1, 1, clock)) {
            queue.start(delivery -> delivered.countDown());
            queue.enqueue("nothing-due", "ann");
            assertEquals(1, delivered.getCount(), "not due yet");
            clock.advance(Duration.ofSeconds(5));
            assertTrue(delivered.await(10, TimeUnit.SECONDS), "picked up by the dispatcher's next look");
        }
        assertEquals("failed", field("retry", "status"));
    }

    private void create(String id, String owner) {
        records.create(id, owner, "f1", "greet", null, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), null);
    }

    private Document record(String id) {
        return async.find(eq("_id", id)).first();
    }

    private Object field(String id, String name) {
        return record(id).get(name);
    }
}
