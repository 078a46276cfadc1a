package dev.hearth.controlplane.async;

import dev.hearth.controlplane.fair.FairQueue;
import dev.hearth.controlplane.fair.FairScheduler;
import dev.hearth.poolmanager.support.Threads;
import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded mode's queue: the {@code async} records themselves. Each user's due records (queued,
 * or failed with their retry due) are claimed in turn, a few at a time (marked {@code claimed} so
 * only one claimer takes each), and handed to a {@link FairScheduler} shared by all users: one
 * user's backlog never stands in front of another's, and no user runs more than its share of the
 * workers. The queue writes only its {@code claimed} mark, and drops the marks a stopped process
 * left at start: the worker's record update (through {@link AsyncRecords}) is what schedules a
 * retry, and {@link AsyncRecords#resumeInterrupted} what queues a record left {@code running} again.
 */
final class StoreQueue implements AsyncQueue {

    private static final Logger log = LoggerFactory.getLogger(StoreQueue.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final List<String> AWAITING_ATTEMPT =
            Arrays.stream(AsyncStatus.values()).filter(AsyncStatus::awaitsAttempt).map(AsyncStatus::id).toList();

    private final MongoCollection<Document> async;
    private final Clock clock;
    private final FairScheduler<String> workers;
    private final Semaphore wake = new Semaphore(0);
    private final Thread dispatcher;
    private volatile Consumer<Delivery> handler;
    private volatile boolean closed;
    private int round;

    /**
     * @param workers        invocations run at once, all users together
     * @param perUserRunning invocations of one user run at once; as many more are claimed ahead
     */
    StoreQueue(MongoCollection<Document> async, int workers, int perUserRunning, Clock clock) {
        this.async = async;
        this.clock = clock;
        this.workers = new FairScheduler<>("async", workers,
                new FairQueue.Limits(perUserRunning, perUserRunning, Math.max(workers, 4 * perUserRunning)));
        // Claims of a process that stopped: their jobs are due again, in the status they were left in.
        async.updateMany(eq("claimed", true), Updates.unset("claimed"));
        this.dispatcher = Threads.daemonThread("async-dispatcher", this::dispatch);
    }

    @Override
    public void enqueue(String id, String owner) {
        wake.release(); // the record, already stored, is the job
    }

    @Override
    public void start(Consumer<Delivery> handler) {
        this.handler = handler;
        dispatcher.start();
    }

    private void dispatch() {
        while (!closed) {
            try {
                wake.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                claimDue();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("async dispatch failed; retrying", e);
                }
            }
        }
    }

    /** Tops up every user with due work to its share of claimed records, starting the round at a different user each time. */
    private void claimDue() {
        List<String> owners = async.distinct("owner", due(), String.class).into(new ArrayList<>());
        if (owners.isEmpty()) {
            return;
        }
        Collections.rotate(owners, -(round++ % owners.size()));
        for (String owner : owners) {
            while (!closed && workers.hasRoom(owner)) {
                Document claimed = claimNext(owner);
                if (claimed == null) {
                    break;
                }
                var delivery = new Claimed(claimed.getString("_id"), owner, claimed.get("event", Binary.class).getData());
                if (!workers.submit(owner, () -> run(delivery))) {
                    unclaim(delivery.id());
                    break;
                }
            }
        }
    }

    private void run(Claimed delivery) {
        try {
            handler.accept(delivery);
        } finally {
            if (!closed) {
                unclaim(delivery.id()); // the handler's record update said what comes next
            }
            wake.release();
        }
    }

    private Bson due() {
        return and(in("status", AWAITING_ATTEMPT), lte("nextAttemptAt", Date.from(clock.instant())), ne("claimed", true));
    }

    /** Takes the user's most overdue due invocation: only one claimer can mark it. */
    private Document claimNext(String owner) {
        return async.findOneAndUpdate(and(eq("owner", owner), due()), Updates.set("claimed", true),
                new FindOneAndUpdateOptions().sort(Sorts.ascending("nextAttemptAt")).returnDocument(ReturnDocument.AFTER));
    }

    private void unclaim(String id) {
        async.updateOne(eq("_id", id), Updates.unset("claimed"));
    }

    /** The record says it all: the worker's update to it is the acknowledgement or the retry. */
    private record Claimed(String id, String owner, byte[] event) implements Delivery {
        @Override
        public long deliveries() {
            return 0;
        }

        @Override
        public void done() {}

        @Override
        public void retryAfter(Duration delay) {}
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        workers.close();
    }
}
