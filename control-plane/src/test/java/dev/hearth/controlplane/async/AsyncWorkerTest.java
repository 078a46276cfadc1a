package dev.hearth.controlplane.async;

import dev.hearth.controlplane.OwnStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.call.ConcurrencyLimiter;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Resolver;
import dev.hearth.controlplane.function.StoredWorkload;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One delivery of a job, over the store's engine in memory and a pool that answers at once: how the delivery ends. */
class AsyncWorkerTest {

    private final OwnStore store = OwnStore.start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AsyncRecords records = new AsyncRecords(store.database().getCollection("async"), 3, Duration.ofSeconds(1), clock);
    private final CallbackClient callbacks = new CallbackClient(false, new AsyncSettings.Callbacks(1, 1, 1));
    private final FunctionRecord function = new FunctionRecord("f1", "ann", "greet", 1,
            new StoredWorkload.Source(Language.PYTHON, "main.handler", "d", 1, "d", 1),
            new FunctionSettings(128, 1000, 0, Map.of(), false, 0), FunctionRecord.Status.READY, null, clock.instant(), null, null, null, null, null);

    @AfterEach
    void close() {
        callbacks.close();
        store.close();
    }

    @Test
    void success_endsTheRecord_andAcknowledgesTheJob() {
        records.create("a", "ann", "f1", "greet", null, "{}".getBytes(StandardCharsets.UTF_8), null);
        Job job = new Job("a");

        worker(request -> answer(request, new Outcome.Success("1".getBytes()))).run(job);

        assertEquals("succeeded", records.get("a").orElseThrow().getString("status"));
        assertEquals(List.of("done"), job.ends);
    }

    @Test
    void anEndRefusedBecauseAnotherHolderQueuedTheJobAgain_deliversItAgain_neverLeavingItQueuedWithNoJob() {
        records.create("a", "ann", "f1", "greet", null, "{}".getBytes(StandardCharsets.UTF_8), null);
        Job job = new Job("a");

        // While this delivery runs, a second one of the same job (its ack wait passed) was refused by a full node.
        worker(request -> {
            records.requeue("a", Duration.ofSeconds(5));
            return answer(request, new Outcome.Success("1".getBytes()));
        }).run(job);

        assertEquals("queued", records.get("a").orElseThrow().getString("status"));
        assertFalse(job.ends.contains("done"), "acknowledged, the queued record would never run again");
        assertTrue(job.ends.get(0).startsWith("retry"), job.ends::toString);
    }

    private AsyncWorker worker(Function<InvokeRequest, Invocation> invoke) {
        return new AsyncWorker(records, (owner, name, qualifier) -> new Resolver.Target(function), new AnsweringPool(invoke), new ConcurrencyLimiter(10),
                callbacks, clock, attempt -> {});
    }

    private static Invocation answer(InvokeRequest request, Outcome outcome) {
        return new Invocation(request.invocationId(), StartKind.WARM, outcome, 0, 0, new byte[0], "local");
    }

    /** A delivery that notes how it was ended. */
    private static final class Job implements AsyncQueue.Delivery {
        private final String id;
        final List<String> ends = new ArrayList<>();

        Job(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public byte[] event() {
            return null;
        }

        @Override
        public long deliveries() {
            return 1;
        }

        @Override
        public void done() {
            ends.add("done");
        }

        @Override
        public void retryAfter(Duration delay) {
            ends.add("retry " + delay);
        }
    }

    private record AnsweringPool(Function<InvokeRequest, Invocation> invoke) implements PoolManager {
        @Override
        public Invocation invoke(InvokeRequest request) {
            return invoke.apply(request);
        }

        @Override
        public void prepare(FunctionSpec function) {}

        @Override
        public void retire(String functionId) {}

        @Override
        public void retireVersions(String functionId, Set<Long> versions) {}

        @Override
        public void requireImage(String image) {}

        @Override
        public boolean warmedUp() {
            return true;
        }

        @Override
        public PoolStats stats() {
            return new PoolStats(Map.of(), Map.of(), 0, Map.of(), Set.of(), 0);
        }

        @Override
        public void close() {}
    }
}
