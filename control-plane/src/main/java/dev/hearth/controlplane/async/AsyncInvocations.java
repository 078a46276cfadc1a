package dev.hearth.controlplane.async;

import dev.hearth.controlplane.call.ConcurrencyLimiter;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.PoolManager;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous invocations: each is stored (its record in the {@code async} collection, its job on
 * the {@link AsyncQueue}) before the caller gets 202, then run by an {@link AsyncWorker} through
 * the pool manager, in-process or on any node. Delivery is at least once: a job whose worker
 * stopped (process gone, node lost mid-call) runs again. {@link AsyncRecords} moves each record
 * through its {@link AsyncStatus}es; when it ends, an optional callback URL gets its outcome.
 */
public final class AsyncInvocations implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AsyncInvocations.class);
    private static final String COLLECTION = "async";

    private final AsyncRecords records;
    private final AsyncQueue queue;
    private final AsyncWorker worker;
    private final CallbackClient callbacks;
    private final int userMaxQueued;
    private final List<Consumer<AsyncAttempt>> attempts = new CopyOnWriteArrayList<>();

    /** Embedded mode: the records are the queue. */
    public static AsyncInvocations inStore(MongoDatabase database, Functions functions, PoolManager pool,
                                           ConcurrencyLimiter limiter, AsyncSettings settings, Clock clock) {
        MongoCollection<Document> collection = database.getCollection(COLLECTION);
        AsyncRecords records = records(collection, settings, clock);
        records.resumeInterrupted();
        return new AsyncInvocations(records, new StoreQueue(collection, settings.workers(), settings.userMaxRunning(), clock),
                functions, pool, limiter, settings, clock);
    }

    /** Distributed mode: jobs on a JetStream stream shared by every control plane. */
    public static AsyncInvocations onJetStream(Connection nats, MongoDatabase database, Functions functions,
                                               PoolManager pool, ConcurrencyLimiter limiter, AsyncSettings settings, Clock clock)
            throws IOException, JetStreamApiException {
        return new AsyncInvocations(records(database.getCollection(COLLECTION), settings, clock),
                new JetStreamQueue(nats, settings.workers(), settings.userMaxRunning(), settings.ackWait()),
                functions, pool, limiter, settings, clock);
    }

    private static AsyncRecords records(MongoCollection<Document> collection, AsyncSettings settings, Clock clock) {
        return new AsyncRecords(collection, settings.maxAttempts(), settings.retryBase(), clock);
    }

    private AsyncInvocations(AsyncRecords records, AsyncQueue queue, Functions functions, PoolManager pool,
                             ConcurrencyLimiter limiter, AsyncSettings settings, Clock clock) {
        this.records = records;
        this.queue = queue;
        this.userMaxQueued = settings.userMaxQueued();
        this.callbacks = new CallbackClient(settings.privateCallbacks(), settings.callbacks());
        this.worker = new AsyncWorker(records, functions::resolve, pool, limiter, callbacks, clock, this::attemptStored);
        queue.start(worker::run);
    }

    /**
     * Stores the invocation and queues it; the 202 follows only once both are stored. Past the
     * owner's cap of unfinished invocations it is refused with 429: counted after the insert, so
     * submissions racing each other can be refused together but never pass the cap together.
     * A {@code qualifier} (version or alias) is resolved again at each attempt; null runs the serving version.
     */
    public void submit(String id, String owner, FunctionRecord function, String qualifier, byte[] event, String callbackUrl) {
        records.create(id, owner, function.id(), function.name(), qualifier, event, callbackUrl);
        if (records.unfinished(owner) > userMaxQueued) {
            records.delete(id);
            throw ApiException.throttled("you have " + userMaxQueued
                    + " async invocations queued or running already; try again once some have ended");
        }
        try {
            queue.enqueue(id, owner);
        } catch (Exception e) {
            records.delete(id);
            log.warn("cannot queue async invocation {}: {}", id, e.getMessage());
            throw ApiException.unavailable("the async queue cannot take the invocation now; try again shortly");
        }
    }

    /** An async invocation of this owner, as its record shows it. */
    public Optional<Map<String, Object>> find(String owner, String id) {
        return records.get(owner, id).map(AsyncRecordView::of);
    }

    /** The newest async invocations of a function, optionally in one status. */
    public List<Map<String, Object>> list(String functionId, AsyncStatus status, int limit) {
        return records.newest(functionId, status, limit).stream().map(AsyncRecordView::of).toList();
    }

    /** {@code listener} is told of each attempt once its end is stored (on the worker's thread: it must not block). */
    public void whenAttemptStored(Consumer<AsyncAttempt> listener) {
        attempts.add(listener);
    }

    /** The last attempt of the invocation {@code id} (any owner's: for Hearth's own readers), or empty before one ended. */
    public Optional<AsyncAttempt> lastAttempt(String id) {
        return records.get(id).flatMap(AsyncAttempt::of);
    }

    /** The last attempts of a function's newest {@code limit} async invocations that have had one, newest first. */
    public List<AsyncAttempt> recentAttempts(String functionId, int limit) {
        return records.newest(functionId, null, limit).stream().map(AsyncAttempt::of).flatMap(Optional::stream).toList();
    }

    private void attemptStored(AsyncAttempt attempt) {
        for (Consumer<AsyncAttempt> listener : attempts) {
            try {
                listener.accept(attempt);
            } catch (RuntimeException e) {
                log.warn("a listener of async attempts failed", e);
            }
        }
    }

    @Override
    public void close() {
        worker.stop();
        queue.close();
        callbacks.close();
    }
}
