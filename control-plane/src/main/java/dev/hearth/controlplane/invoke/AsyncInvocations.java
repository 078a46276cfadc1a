package dev.hearth.controlplane.invoke;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Json;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous invocations: each is stored (its record in the {@code async} collection, its job on
 * the {@link AsyncQueue}) before the caller gets 202, then run by a worker through the pool
 * manager, in-process or on any node. A function error, timeout or crash is retried after
 * {@code retryBase × 2^(attempt-1)} until {@code maxAttempts}, then the invocation is
 * {@code dead-lettered}. Delivery is at least once: a job whose worker stopped (process gone, node
 * lost mid-call) runs again. When it ends, an optional callback URL gets its outcome.
 *
 * <p>States: {@code queued → running → succeeded}; after a failed attempt {@code failed} until
 * its retry is due (then {@code running} again), and {@code dead-lettered} after the last attempt
 * (or when the function is gone).
 */
public final class AsyncInvocations implements AutoCloseable {

    /**
     * How async invocations are retried and run.
     *
     * @param workers          async invocations this process runs at once, all users together
     * @param privateCallbacks callbacks may go to special-purpose (loopback, private, link-local …) and
     *                         this machine's own addresses; off by default, so a user cannot make
     *                         Hearth post into its own network
     * @param ackWait          distributed mode: a job whose control plane stopped extending its claim
     *                         this long is delivered again (to another control plane)
     * @param userMaxRunning   async invocations of one user this process runs at once, so the other
     *                         workers stay free for other users
     * @param userMaxQueued    unfinished (queued, running or awaiting a retry) async invocations one
     *                         user may have; past it a submission is refused with 429
     */
    public record Settings(int maxAttempts, Duration retryBase, int workers, boolean privateCallbacks, Duration ackWait,
                           int userMaxRunning, int userMaxQueued, Callbacks callbacks) {
        public Settings {
            if (maxAttempts < 1 || workers < 1 || retryBase.isNegative() || ackWait.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("async settings out of range: at least 1 attempt, 1 worker, an ack wait of 1 s");
            }
            if (userMaxRunning < 1 || userMaxRunning > workers || userMaxQueued < 1) {
                throw new IllegalArgumentException("HEARTH_ASYNC_USER_MAX_RUNNING must be between 1 and HEARTH_ASYNC_WORKERS ("
                        + workers + "), HEARTH_ASYNC_USER_MAX_QUEUED at least 1");
            }
            java.util.Objects.requireNonNull(callbacks, "callbacks");
        }
    }

    /**
     * The callback posters.
     *
     * @param workers   posts in flight at once (one user at most half of them)
     * @param userQueue posts of one user waiting; past it a callback is dropped (and noted in its record)
     * @param queue     posts of all users waiting; past it a callback is dropped
     */
    public record Callbacks(int workers, int userQueue, int queue) {
        public Callbacks {
            if (workers < 1 || userQueue < 1 || queue < userQueue) {
                throw new IllegalArgumentException("HEARTH_ASYNC_CALLBACK_WORKERS and HEARTH_ASYNC_CALLBACK_USER_QUEUE must be"
                        + " at least 1, HEARTH_ASYNC_CALLBACK_QUEUE at least the user queue");
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(AsyncInvocations.class);
    /**
     * An invocation the platform could not run this long after it was accepted (nodes full, lost or
     * unreachable all along) is dead-lettered, as Lambda's maximum event age.
     */
    static final Duration MAX_EVENT_AGE = Duration.ofHours(6);
    private static final List<String> UNFINISHED = List.of("queued", "running", "failed");

    private final MongoCollection<Document> async;
    private final AsyncQueue queue;
    private final Functions functions;
    private final PoolManager pool;
    private final ConcurrencyLimiter limiter;
    private final Settings settings;
    private final Clock clock;
    private final CallbackClient callbacks;
    private volatile boolean closed;

    /** Embedded mode: the records are the queue. */
    public static AsyncInvocations inStore(MongoDatabase database, Functions functions, PoolManager pool,
                                           ConcurrencyLimiter limiter, Settings settings, Clock clock) {
        MongoCollection<Document> records = database.getCollection("async");
        return new AsyncInvocations(records, new StoreQueue(records, settings.workers(), settings.userMaxRunning(), clock),
                functions, pool, limiter, settings, clock);
    }

    /** Distributed mode: jobs on a JetStream stream shared by every control plane. */
    public static AsyncInvocations onJetStream(io.nats.client.Connection nats, MongoDatabase database, Functions functions,
                                               PoolManager pool, ConcurrencyLimiter limiter, Settings settings, Clock clock)
            throws java.io.IOException, io.nats.client.JetStreamApiException {
        return new AsyncInvocations(database.getCollection("async"), new JetStreamQueue(nats, settings.workers(),
                settings.userMaxRunning(), settings.ackWait()), functions,
                pool, limiter, settings, clock);
    }

    private AsyncInvocations(MongoCollection<Document> async, AsyncQueue queue, Functions functions, PoolManager pool,
                             ConcurrencyLimiter limiter, Settings settings, Clock clock) {
        this.async = async;
        this.queue = queue;
        this.functions = functions;
        this.pool = pool;
        this.limiter = limiter;
        this.settings = settings;
        this.clock = clock;
        this.callbacks = new CallbackClient(settings.privateCallbacks(), settings.callbacks());
        async.createIndex(Indexes.ascending("owner", "status"), new IndexOptions().name("owner_status"));
        queue.start(this::run);
    }

    /**
     * Stores the invocation and queues it; the 202 follows only once both are stored. Past the
     * owner's cap of unfinished invocations it is refused with 429: counted after the insert, so
     * submissions racing each other can be refused together but never pass the cap together.
     */
    public void submit(String id, String owner, FunctionRecord function, byte[] event, String callbackUrl) {
        Instant now = clock.instant();
        Document record = new Document("_id", id)
                .append("owner", owner)
                .append("functionId", function.id())
                .append("functionName", function.name())
                .append("status", "queued")
                .append("attempts", 0)
                .append("history", List.of())
                .append("nextAttemptAt", Date.from(now))
                .append("callbackUrl", callbackUrl)
                .append("createdAt", Date.from(now));
        if (queue.eventInRecord()) {
            record.append("event", new Binary(event));
        }
        async.insertOne(record);
        if (async.countDocuments(and(eq("owner", owner), in("status", UNFINISHED))) > settings.userMaxQueued()) {
            async.deleteOne(eq("_id", id));
            throw ApiException.throttled("you have " + settings.userMaxQueued()
                    + " async invocations queued or running already; try again once some have ended");
        }
        try {
            queue.enqueue(id, owner, event);
        } catch (Exception e) {
            async.deleteOne(eq("_id", id));
            log.warn("cannot queue async invocation {}: {}", id, e.getMessage());
            throw ApiException.unavailable("the async queue cannot take the invocation now; try again shortly");
        }
    }

    /** An async invocation of this owner, as its record shows it. */
    public Optional<Map<String, Object>> find(String owner, String id) {
        return Optional.ofNullable(async.find(and(eq("_id", id), eq("owner", owner))).first()).map(AsyncRecordView::of);
    }

    /** The newest async invocations of a function, optionally in one status. */
    public List<Map<String, Object>> list(String functionId, String status, int limit) {
        var filter = status == null ? eq("functionId", functionId) : and(eq("functionId", functionId), eq("status", status));
        return async.find(filter).sort(Sorts.descending("createdAt")).limit(limit).map(AsyncRecordView::of).into(new ArrayList<>());
    }

    /** One delivery of a job: never throws, always ends the delivery (done or retry) unless the process is stopping. */
    private void run(AsyncQueue.Delivery delivery) {
        try {
            Document job = delivery.id() == null ? null : async.find(eq("_id", delivery.id())).first();
            if (job == null || List.of("succeeded", "dead-lettered").contains(job.getString("status"))) {
                delivery.done(); // gone, or ended already and delivered again
                return;
            }
            if (job.getDate("createdAt").toInstant().plus(MAX_EVENT_AGE).isBefore(clock.instant())) {
                finish(job, "dead-lettered", null, "EventTooOld", "the platform could not run it within "
                        + MAX_EVENT_AGE.toHours() + " hours of its submission", job.getList("history", Document.class, List.of()),
                        job.getString("logs"));
                delivery.done();
                return;
            }
            attempt(job, delivery);
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("async invocation {} failed in the platform; queued again", delivery.id(), e);
                requeue(delivery, platformRetry(delivery));
            }
        }
    }

    private void attempt(Document job, AsyncQueue.Delivery delivery) {
        String id = job.getString("_id");
        if (!"running".equals(job.getString("status"))) {
            async.updateOne(eq("_id", id), Updates.combine(Updates.set("status", "running"),
                    Updates.set("startedAt", Date.from(clock.instant()))));
        }
        FunctionRecord function;
        try {
            function = functions.get(job.getString("owner"), job.getString("functionName"));
        } catch (ApiException e) {
            function = null;
        }
        if (function == null || !function.id().equals(job.getString("functionId"))
                || function.status() != FunctionRecord.Status.READY) {
            finish(job, "dead-lettered", null, "FunctionGone", "the function was deleted, redefined or is not ready",
                    job.getList("history", Document.class, List.of()), job.getString("logs"));
            delivery.done();
            return;
        }
        byte[] event = delivery.event() != null ? delivery.event() : job.get("event", Binary.class).getData();
        Invocation invocation;
        try (var permit = limiter.acquire(function)) {
            invocation = pool.invoke(new InvokeRequest(function.spec(), id, event));
        } catch (ApiException | PoolException e) {
            // Over a concurrency limit, the node full or lost mid-call: the function did nothing wrong; try again soon.
            log.debug("async invocation {} queued again: {}", id, e.getMessage());
            requeue(delivery, platformRetry(delivery));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(delivery, platformRetry(delivery));
            return;
        }
        if (closed) {
            // Stopped mid-call: the job was not acknowledged and runs again.
            return;
        }
        int attempts = job.getInteger("attempts", 0) + 1;
        InvokeRoutes.Answer answer = InvokeRoutes.answer(invocation.outcome());
        Document step = new Document("at", Date.from(clock.instant())).append("status", answer.recordStatus())
                .append("start", invocation.start().header()).append("node", invocation.node());
        if (answer.errorType() != null) {
            step.append("errorType", answer.errorType());
        }
        List<Document> history = new ArrayList<>(job.getList("history", Document.class, List.of()));
        history.add(step);
        String logs = new String(invocation.logs(), StandardCharsets.UTF_8);
        if (invocation.outcome() instanceof Outcome.Success success) {
            finish(job.append("attempts", attempts), "succeeded", new String(success.json(), StandardCharsets.UTF_8), null, null,
                    history, logs);
            delivery.done();
        } else if (attempts < settings.maxAttempts()) {
            Duration backoff = settings.retryBase().multipliedBy(1L << Math.min(attempts - 1, 20));
            async.updateOne(eq("_id", id), Updates.combine(
                    Updates.set("status", "failed"), Updates.set("attempts", attempts), Updates.set("history", history),
                    Updates.set("error", errorDoc(answer.errorType(), answer.errorMessage())), Updates.set("logs", logs),
                    Updates.set("nextAttemptAt", Date.from(clock.instant().plus(backoff)))));
            delivery.retryAfter(backoff);
        } else {
            finish(job.append("attempts", attempts), "dead-lettered", null, answer.errorType(), answer.errorMessage(), history, logs);
            delivery.done();
        }
    }

    private void finish(Document job, String status, String result, String errorType, String errorMessage,
                        List<Document> history, String logs) {
        String id = job.getString("_id");
        var changes = new ArrayList<org.bson.conversions.Bson>(List.of(
                Updates.set("status", status), Updates.set("attempts", job.getInteger("attempts", 0)),
                Updates.set("history", history), Updates.set("logs", logs),
                Updates.set("finishedAt", Date.from(clock.instant())), Updates.unset("event")));
        if (result != null) {
            changes.add(Updates.set("result", result));
            changes.add(Updates.unset("error"));
        } else {
            changes.add(Updates.set("error", errorDoc(errorType, errorMessage)));
        }
        async.updateOne(eq("_id", id), Updates.combine(changes));
        log.debug("async invocation {} ended {}", id, status);
        String callback = job.getString("callbackUrl");
        if (callback != null) {
            notify(job.getString("owner"), id, callback);
        }
    }

    /**
     * When to try again after the platform, not the function, failed (a limit, a full or lost node):
     * a second later at first, backing off to 30 s while it keeps failing. No attempt is counted.
     */
    static Duration platformRetry(AsyncQueue.Delivery delivery) {
        return Duration.ofSeconds(Math.min(30, Math.max(1, delivery.deliveries())));
    }

    private void requeue(AsyncQueue.Delivery delivery, Duration after) {
        if (closed) {
            return; // not acknowledged: delivered again
        }
        async.updateOne(and(eq("_id", delivery.id()), eq("status", "running")), Updates.combine(
                Updates.set("status", "queued"), Updates.set("nextAttemptAt", Date.from(clock.instant().plus(after)))));
        delivery.retryAfter(after);
    }

    /** Queues the post of the ended invocation's record to its callback URL (once) and notes the answer. */
    private void notify(String owner, String id, String url) {
        callbacks.send(owner, url, id, () -> {
            Document done = async.find(eq("_id", id)).first();
            try {
                return done == null ? null : Json.MAPPER.writeValueAsBytes(AsyncRecordView.of(done));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a record view is always JSON", e);
            }
        }, outcome -> async.updateOne(eq("_id", id), Updates.set("callbackStatus", outcome)));
    }

    private static Document errorDoc(String type, String message) {
        return new Document("type", type).append("message", message);
    }

    @Override
    public void close() {
        closed = true;
        queue.close();
        callbacks.close();
    }
}
