package dev.hearth.controlplane.async;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.hearth.controlplane.call.Answer;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code async} collection, and the one writer of each record's {@code status}: every move
 * between {@link AsyncStatus}es is made here, with the statuses it may come from in its filter,
 * so a move the record's status does not allow ({@link AsyncStatus#canBecome}) is refused by the
 * store itself, even when two control planes hold the same job. A function error, timeout or crash
 * is retried after {@code retryBase × 2^(attempt-1)} until {@code maxAttempts}, then the record is
 * dead-lettered. The queues read records; they never write a status.
 */
final class AsyncRecords {

    private static final Logger log = LoggerFactory.getLogger(AsyncRecords.class);

    /**
     * A move asked for: the status it leads to, whether the record's status allowed it, and for a
     * retry how long until the next attempt.
     */
    record Move(AsyncStatus to, boolean made, Duration retryAfter) {
        Move {
            Objects.requireNonNull(to, "to");
        }
    }

    private final MongoCollection<Document> async;
    private final int maxAttempts;
    private final Duration retryBase;
    private final Clock clock;

    AsyncRecords(MongoCollection<Document> async, int maxAttempts, Duration retryBase, Clock clock) {
        this.async = async;
        this.maxAttempts = maxAttempts;
        this.retryBase = retryBase;
        this.clock = clock;
        async.createIndex(Indexes.ascending("owner", "status"), new IndexOptions().name("owner_status"));
    }

    /** A new record, {@code queued} and due now, holding its event (until it ends) so the queues carry only ids. */
    /** @param qualifier the version or alias the call named, resolved at each attempt; null for the serving version */
    void create(String id, String owner, String functionId, String functionName, String qualifier, byte[] event, String callbackUrl) {
        Instant now = clock.instant();
        Document record = new Document("_id", id)
                .append("owner", owner)
                .append("functionId", functionId)
                .append("functionName", functionName)
                .append("qualifier", qualifier)
                .append("status", AsyncStatus.QUEUED.id())
                .append("attempts", 0)
                .append("history", List.of())
                .append("nextAttemptAt", Date.from(now))
                .append("callbackUrl", callbackUrl)
                .append("createdAt", Date.from(now))
                .append("event", new Binary(event));
        async.insertOne(record);
    }

    /** Takes back a submission that was refused after its record was stored. */
    void delete(String id) {
        async.deleteOne(eq("_id", id));
    }

    /** The owner's records that are not final: queued, running or awaiting a retry. */
    long unfinished(String owner) {
        return async.countDocuments(and(eq("owner", owner), statusIn(AsyncStatus.unfinished())));
    }

    Optional<Document> get(String id) {
        return Optional.ofNullable(async.find(eq("_id", id)).first());
    }

    Optional<Document> get(String owner, String id) {
        return Optional.ofNullable(async.find(and(eq("_id", id), eq("owner", owner))).first());
    }

    /** The newest records of a function, optionally in one status. */
    List<Document> newest(String functionId, AsyncStatus status, int limit) {
        Bson filter = status == null ? eq("functionId", functionId) : and(eq("functionId", functionId), eq("status", status.id()));
        return async.find(filter).sort(Sorts.descending("createdAt")).limit(limit).into(new ArrayList<>());
    }

    /** An attempt begins: {@code running} from {@code queued} or {@code failed}; a job delivered again while running stays so. */
    void start(Document job) {
        if (!AsyncStatus.RUNNING.id().equals(job.getString("status"))) {
            move(job.getString("_id"), AsyncStatus.RUNNING, List.of(Updates.set("startedAt", Date.from(clock.instant()))));
        }
    }

    /**
     * The attempt ended: {@code succeeded}, {@code failed} with its retry due, or {@code dead-lettered} after the last.
     * The record keeps the version that ran (and the alias that chose it, or null) for each attempt and the last.
     */
    Move afterAttempt(Document job, Invocation invocation, long version, String alias) {
        Answer answer = Answer.of(invocation);
        int attempts = job.getInteger("attempts", 0) + 1;
        Document step = new Document("at", Date.from(clock.instant())).append("status", answer.recordStatus())
                .append("start", invocation.start().header()).append("node", invocation.node()).append("version", version);
        if (answer.errorType() != null) {
            step.append("errorType", answer.errorType());
        }
        List<Document> history = new ArrayList<>(history(job));
        history.add(step);
        String logs = new String(invocation.logs(), StandardCharsets.UTF_8);
        Bson ran = Updates.combine(Updates.set("version", version), Updates.set("alias", alias));
        if (invocation.outcome() instanceof Outcome.Success success) {
            return end(job, AsyncStatus.SUCCEEDED, attempts, history, logs,
                    List.of(Updates.set("result", new String(success.json(), StandardCharsets.UTF_8)), Updates.unset("error"), ran));
        }
        if (attempts >= maxAttempts) {
            return end(job, AsyncStatus.DEAD_LETTERED, attempts, history, logs,
                    List.of(Updates.set("error", error(answer.errorType(), answer.errorMessage())), ran));
        }
        Duration backoff = retryBase.multipliedBy(1L << Math.min(attempts - 1, 20));
        boolean made = move(job.getString("_id"), AsyncStatus.FAILED, List.of(ran,
                Updates.set("attempts", attempts), Updates.set("history", history),
                Updates.set("error", error(answer.errorType(), answer.errorMessage())), Updates.set("logs", logs),
                Updates.set("nextAttemptAt", Date.from(clock.instant().plus(backoff)))));
        return new Move(AsyncStatus.FAILED, made, backoff);
    }

    /** Ends the job without another attempt (its function is gone, or it waited too long), keeping what earlier attempts left. */
    Move deadLetter(Document job, String errorType, String errorMessage) {
        return end(job, AsyncStatus.DEAD_LETTERED, job.getInteger("attempts", 0), history(job), job.getString("logs"),
                List.of(Updates.set("error", error(errorType, errorMessage))));
    }

    /** The platform, not the function, failed (a limit, a full or lost node): {@code running → queued}, no attempt counted. */
    void requeue(String id, Duration after) {
        move(id, AsyncStatus.QUEUED, List.of(Updates.set("nextAttemptAt", Date.from(clock.instant().plus(after)))));
    }

    /**
     * At start, before any worker runs: records left {@code running} by a process that stopped
     * are queued again, due now (delivery is at least once). Only where the records are the queue;
     * a stream delivers its unacknowledged jobs again by itself.
     */
    void resumeInterrupted() {
        long resumed = async.updateMany(eq("status", AsyncStatus.RUNNING.id()), Updates.combine(
                Updates.set("status", AsyncStatus.QUEUED.id()), Updates.set("nextAttemptAt", Date.from(clock.instant()))))
                .getModifiedCount();
        if (resumed > 0) {
            log.info("{} async invocation(s) were running when the process stopped; queued again", resumed);
        }
    }

    /** What became of the callback post: its answer's status, or why there was none. */
    void noteCallback(String id, String outcome) {
        async.updateOne(eq("_id", id), Updates.set("callbackStatus", outcome));
    }

    private Move end(Document job, AsyncStatus status, int attempts, List<Document> history, String logs, List<Bson> outcome) {
        var changes = new ArrayList<Bson>(List.of(Updates.set("attempts", attempts), Updates.set("history", history),
                Updates.set("logs", logs), Updates.set("finishedAt", Date.from(clock.instant())), Updates.unset("event")));
        changes.addAll(outcome);
        boolean made = move(job.getString("_id"), status, changes);
        log.debug("async invocation {} ended {}", job.getString("_id"), status.id());
        return new Move(status, made, null);
    }

    /** Sets {@code to} with {@code changes} if the record's status may become it; false when refused. */
    private boolean move(String id, AsyncStatus to, List<Bson> changes) {
        var update = new ArrayList<Bson>(changes);
        update.add(Updates.set("status", to.id()));
        boolean made = async.updateOne(and(eq("_id", id), statusIn(AsyncStatus.before(to))), Updates.combine(update))
                .getMatchedCount() > 0;
        if (!made) {
            log.debug("async invocation {} not moved to {}: its status does not allow it", id, to.id());
        }
        return made;
    }

    private static Bson statusIn(Collection<AsyncStatus> statuses) {
        return in("status", statuses.stream().map(AsyncStatus::id).toList());
    }

    private static List<Document> history(Document job) {
        return job.getList("history", Document.class, List.of());
    }

    private static Document error(String type, String message) {
        return new Document("type", type).append("message", message);
    }
}
