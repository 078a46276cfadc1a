package dev.hearth.controlplane.invoke;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded mode's queue: the {@code async} records themselves. A record {@code queued}, or
 * {@code failed} with its retry due, is claimed atomically (moved to {@code running}) and handed
 * to a worker; the worker's record update is what schedules a retry. A record still
 * {@code running} when the process stopped is queued again at the next start.
 */
final class StoreQueue implements AsyncQueue {

    private static final Logger log = LoggerFactory.getLogger(StoreQueue.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final MongoCollection<Document> async;
    private final Clock clock;
    private final ExecutorService workers;
    private final Semaphore free;
    private final Semaphore wake = new Semaphore(0);
    private final Thread dispatcher;
    private volatile Consumer<Delivery> handler;
    private volatile boolean closed;

    StoreQueue(MongoCollection<Document> async, int workers, Clock clock) {
        this.async = async;
        this.clock = clock;
        this.free = new Semaphore(workers);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "async-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long resumed = async.updateMany(eq("status", "running"),
                Updates.combine(Updates.set("status", "queued"), Updates.set("nextAttemptAt", Date.from(clock.instant()))))
                .getModifiedCount();
        if (resumed > 0) {
            log.info("{} async invocation(s) were running when the process stopped; queued again", resumed);
        }
        this.dispatcher = new Thread(this::dispatch, "async-dispatcher");
        dispatcher.setDaemon(true);
    }

    @Override
    public boolean eventInRecord() {
        return true;
    }

    @Override
    public void enqueue(String id, byte[] event) {
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
                while (!closed && free.tryAcquire()) {
                    Document claimed;
                    try {
                        claimed = claimNext();
                    } catch (RuntimeException e) {
                        free.release();
                        throw e;
                    }
                    if (claimed == null) {
                        free.release();
                        break;
                    }
                    workers.execute(() -> {
                        try {
                            handler.accept(new Claimed(claimed.getString("_id"), claimed.get("event", Binary.class).getData()));
                        } finally {
                            free.release();
                            wake.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("async dispatch failed; retrying", e);
            }
        }
    }

    /** Takes the most overdue queued (or failed, to retry) invocation: only one claimer can move it to running. */
    private Document claimNext() {
        return async.findOneAndUpdate(
                and(in("status", "queued", "failed"), lte("nextAttemptAt", Date.from(clock.instant()))),
                Updates.combine(Updates.set("status", "running"), Updates.set("startedAt", Date.from(clock.instant()))),
                new FindOneAndUpdateOptions().sort(Sorts.ascending("nextAttemptAt")).returnDocument(ReturnDocument.AFTER));
    }

    /** The record says it all: the worker's update to it is the acknowledgement or the retry. */
    private record Claimed(String id, byte[] event) implements Delivery {
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
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
