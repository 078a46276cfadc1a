package dev.hearth.controlplane.async;

import dev.hearth.controlplane.call.ConcurrencyLimiter;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.function.Resolver;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Json;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivery of an async job through the pool manager, with the concurrency permits a
 * sync call takes, and ends the delivery as the record's move says: acknowledged when the record
 * is final, delivered again when its retry is due. An ended invocation with a callback URL is
 * handed to the {@link CallbackClient}, once: by the worker whose move ended it.
 */
final class AsyncWorker {

    private static final Logger log = LoggerFactory.getLogger(AsyncWorker.class);
    /**
     * An invocation the platform could not run this long after it was accepted (nodes full, lost or
     * unreachable all along) is dead-lettered, as Lambda's maximum event age.
     */
    static final Duration MAX_EVENT_AGE = Duration.ofHours(6);

    private final AsyncRecords records;
    private final FunctionLookup functions;
    private final PoolManager pool;
    private final ConcurrencyLimiter limiter;
    private final CallbackClient callbacks;
    private final Clock clock;
    private final Consumer<AsyncAttempt> stored;
    private volatile boolean stopped;

    /** Finds the version a call runs, as {@link Functions#resolve} does (an {@link ApiException} when there is none). */
    interface FunctionLookup {
        Resolver.Target resolve(String owner, String name, String qualifier);
    }

    /** @param stored told of each attempt whose end was stored */
    AsyncWorker(AsyncRecords records, FunctionLookup functions, PoolManager pool, ConcurrencyLimiter limiter,
                CallbackClient callbacks, Clock clock, Consumer<AsyncAttempt> stored) {
        this.records = records;
        this.functions = functions;
        this.pool = pool;
        this.limiter = limiter;
        this.callbacks = callbacks;
        this.clock = clock;
        this.stored = stored;
    }

    /** One delivery of a job: never throws, always ends the delivery (done or retry) unless the process is stopping. */
    void run(AsyncQueue.Delivery delivery) {
        try {
            Document job = delivery.id() == null ? null : records.get(delivery.id()).orElse(null);
            if (job == null || AsyncStatus.fromId(job.getString("status")).map(AsyncStatus::isFinal).orElse(false)) {
                delivery.done(); // gone, or ended already and delivered again
                return;
            }
            if (job.getDate("createdAt").toInstant().plus(MAX_EVENT_AGE).isBefore(clock.instant())) {
                ended(job, records.deadLetter(job, "EventTooOld", "the platform could not run it within "
                        + MAX_EVENT_AGE.toHours() + " hours of its submission"));
                delivery.done();
                return;
            }
            attempt(job, delivery);
        } catch (RuntimeException e) {
            if (!stopped) {
                log.warn("async invocation {} failed in the platform; queued again", delivery.id(), e);
                requeue(delivery);
            }
        }
    }

    private void attempt(Document job, AsyncQueue.Delivery delivery) {
        String id = job.getString("_id");
        records.start(job);
        Resolver.Target target;
        try {
            target = functions.resolve(job.getString("owner"), job.getString("functionName"), job.getString("qualifier"));
        } catch (ApiException e) {
            target = null;
        }
        FunctionRecord function = target == null ? null : target.version();
        if (function == null || !function.id().equals(job.getString("functionId"))
                || function.status() != FunctionRecord.Status.READY) {
            ended(job, records.deadLetter(job, "FunctionGone",
                    "the function, or the version or alias the call named, was deleted, redefined or is not ready"));
            delivery.done();
            return;
        }
        byte[] event = delivery.event() != null ? delivery.event() : job.get("event", Binary.class).getData();
        Invocation invocation;
        try (var permit = limiter.acquire(function)) {
            invocation = pool.invoke(new InvokeRequest(function.spec(), id, event, target.qualifier(), null));
        } catch (ApiException | PoolException e) {
            // Over a concurrency limit, the node full or lost mid-call: the function did nothing wrong; try again soon.
            log.debug("async invocation {} queued again: {}", id, e.getMessage());
            requeue(delivery);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(delivery);
            return;
        }
        if (stopped) {
            // Stopped mid-call: the job was not acknowledged and runs again.
            return;
        }
        AsyncRecords.Move move = records.afterAttempt(job, invocation, function.version(), target.alias());
        if (move.made()) {
            stored.accept(new AsyncAttempt(id, job.getString("owner"), function.id(), function.version(), target.alias(),
                    job.getInteger("attempts", 0) + 1, new String(invocation.logs(), java.nio.charset.StandardCharsets.UTF_8),
                    clock.instant()));
        }
        ended(job, move);
        if (move.to() == AsyncStatus.FAILED) {
            delivery.retryAfter(move.retryAfter());
        } else if (move.made() || isFinal(id)) {
            delivery.done();
        } else {
            // Another holder of the job (a redelivery once the ack wait passed) queued it again meanwhile, so this
            // attempt's end was refused: acknowledged now, the record would stay queued with no job left to run it.
            requeue(delivery);
        }
    }

    /** The record has ended (or is gone): nothing is left to deliver. */
    private boolean isFinal(String id) {
        return records.get(id).map(r -> AsyncStatus.fromId(r.getString("status")).map(AsyncStatus::isFinal).orElse(false))
                .orElse(true);
    }

    /**
     * When to try again after the platform, not the function, failed (a limit, a full or lost node):
     * a second later at first, backing off to 30 s while it keeps failing. No attempt is counted.
     */
    static Duration platformRetry(AsyncQueue.Delivery delivery) {
        return Duration.ofSeconds(Math.min(30, Math.max(1, delivery.deliveries())));
    }

    private void requeue(AsyncQueue.Delivery delivery) {
        if (stopped) {
            return; // not acknowledged: delivered again
        }
        Duration after = platformRetry(delivery);
        records.requeue(delivery.id(), after);
        delivery.retryAfter(after);
    }

    /** Queues the post of the record this move ended (once) to its callback URL, and notes the answer. */
    private void ended(Document job, AsyncRecords.Move move) {
        String url = job.getString("callbackUrl");
        if (url == null || !move.made() || !move.to().isFinal()) {
            return;
        }
        String id = job.getString("_id");
        callbacks.send(job.getString("owner"), url, id, () -> records.get(id).map(AsyncWorker::json).orElse(null),
                outcome -> records.noteCallback(id, outcome));
    }

    private static byte[] json(Document record) {
        try {
            return Json.MAPPER.writeValueAsBytes(AsyncRecordView.of(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a record view is always JSON", e);
        }
    }

    /** From now on a delivery in hand is left unacknowledged, to be delivered again. */
    void stop() {
        stopped = true;
    }
}
