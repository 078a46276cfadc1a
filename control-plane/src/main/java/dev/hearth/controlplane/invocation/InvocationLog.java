package dev.hearth.controlplane.invocation;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.hearth.poolmanager.support.Threads;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code invocations} collection, written off the request path: records queue up and one
 * thread inserts them in batches. Until written, a record is served from memory, so a caller
 * can read its invocation at once. A full queue makes callers write their own record: slower
 * under overload, but nothing is dropped. Records older than the retention are deleted (a TTL
 * index on MongoDB, and a periodic purge that also covers the embedded store, which has no TTL).
 * Listeners learn of each record as it is recorded, and of each batch once it is stored (what
 * streams its lines to those who follow a function's logs, here and on other control planes).
 */
public final class InvocationLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InvocationLog.class);
    private static final int BATCH = 500;
    /**
     * How long the writer lets records gather after the first of a batch: each insert costs the
     * driver and the store a command whatever its size, and under a steady trickle of calls every
     * record went alone. Readers never wait for it (a record is served from memory until stored).
     */
    private static final Duration LINGER = Duration.ofMillis(20);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final MongoCollection<Document> invocations;
    private final Duration retention;
    private final Clock clock;
    private final BlockingQueue<InvocationRecord> queue = new ArrayBlockingQueue<>(10_000);
    private final Map<String, InvocationRecord> pending = new ConcurrentHashMap<>();
    private final Thread writer;
    private final List<Consumer<InvocationRecord>> recorded = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<InvocationRecord>>> stored = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private long nextPurge;

    public InvocationLog(MongoDatabase database, Duration retention, Clock clock) {
        this.invocations = database.getCollection("invocations");
        this.retention = retention;
        this.clock = clock;
        invocations.createIndex(Indexes.ascending("createdAt"),
                new IndexOptions().name("expiry").expireAfter(retention.toSeconds(), TimeUnit.SECONDS));
        invocations.createIndex(Indexes.compoundIndex(Indexes.ascending("functionId"), Indexes.descending("createdAt")),
                new IndexOptions().name("by_function"));
        this.writer = Threads.daemonThread("invocation-log", this::drainLoop);
        writer.start();
    }

    public void record(InvocationRecord record) {
        pending.put(record.id(), record);
        for (Consumer<InvocationRecord> listener : recorded) {
            try {
                listener.accept(record);
            } catch (RuntimeException e) {
                log.warn("a listener of invocation records failed", e);
            }
        }
        if (closed || !queue.offer(record)) {
            write(List.of(record));
        }
    }

    /**
     * {@code listener} is told of each record as it is recorded here (readable from then on, not
     * yet in the store), on the recording thread: the caller's, so it must be quick and never block.
     */
    public void whenRecorded(Consumer<InvocationRecord> listener) {
        recorded.add(listener);
    }

    /** {@code listener} is told of each batch of records once it is in the store, on the writing thread. */
    public void whenStored(Consumer<List<InvocationRecord>> listener) {
        stored.add(listener);
    }

    /** The records of these ids that are in the store or about to be (any owner's: for Hearth's own readers). */
    public List<InvocationRecord> byIds(java.util.Collection<String> ids) {
        List<InvocationRecord> found = new ArrayList<>();
        List<String> unwritten = new ArrayList<>();
        for (String id : ids) {
            InvocationRecord record = pending.get(id);
            if (record != null) {
                found.add(record);
            } else {
                unwritten.add(id);
            }
        }
        if (!unwritten.isEmpty()) {
            invocations.find(com.mongodb.client.model.Filters.in("_id", unwritten)).map(InvocationRecord::fromDocument).into(found);
        }
        return found;
    }

    /** The caller's own invocation, or empty (another user's id is not found either). */
    public Optional<InvocationRecord> find(String owner, String id) {
        InvocationRecord record = pending.get(id);
        if (record == null) {
            record = Optional.ofNullable(invocations.find(eq("_id", id)).first()).map(InvocationRecord::fromDocument).orElse(null);
        }
        return Optional.ofNullable(record).filter(r -> r.owner().equals(owner));
    }

    /** Which of a function's invocations to list: those of one version, of one alias, or (nulls) all. */
    public record Filter(Long version, String alias) {
        public static final Filter ALL = new Filter(null, null);

        boolean matches(InvocationRecord r) {
            return matches(r.version(), r.alias());
        }

        /** Whether a call that ran {@code version}, chosen by {@code alias} (null for none), is one of these. */
        public boolean matches(long version, String alias) {
            return (this.version == null || this.version == version) && (this.alias == null || this.alias.equals(alias));
        }

        org.bson.conversions.Bson query(String functionId) {
            List<org.bson.conversions.Bson> terms = new ArrayList<>(List.of(eq("functionId", functionId)));
            if (version != null) {
                terms.add(eq("version", version));
            }
            if (alias != null) {
                terms.add(eq("alias", alias));
            }
            return com.mongodb.client.model.Filters.and(terms);
        }
    }

    /** The newest invocations of one function that {@code filter} matches, newest first. */
    public List<InvocationRecord> recent(String functionId, Filter filter, int limit) {
        // Pending first: a record the writer stores meanwhile leaves pending only once it is in the store.
        List<InvocationRecord> unwritten = pending.values().stream().filter(r -> functionId.equals(r.functionId()))
                .filter(filter::matches).toList();
        List<InvocationRecord> found = invocations.find(filter.query(functionId))
                .sort(Sorts.descending("createdAt")).limit(limit)
                .map(InvocationRecord::fromDocument).into(new ArrayList<>());
        unwritten.stream()
                .filter(r -> found.stream().noneMatch(f -> f.id().equals(r.id())))
                .forEach(found::add);
        found.sort(Comparator.comparing(InvocationRecord::createdAt).reversed());
        return found.size() > limit ? found.subList(0, limit) : found;
    }

    private void drainLoop() {
        List<InvocationRecord> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                InvocationRecord first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    if (!closed && queue.size() < BATCH - 1) {
                        Thread.sleep(LINGER.toMillis());
                    }
                    queue.drainTo(batch, BATCH - 1);
                    write(batch);
                    batch.clear();
                }
                purgeIfDue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("writing invocation records failed; retrying", e);
                sleepQuietly();
            }
        }
    }

    /** Idempotent: a batch retried after a partial failure skips the records already there. */
    private void write(List<InvocationRecord> batch) {
        try {
            invocations.insertMany(batch.stream().map(InvocationRecord::toDocument).toList(), new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (!e.getWriteErrors().stream().allMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) == ErrorCategory.DUPLICATE_KEY)) {
                throw e;
            }
        }
        batch.forEach(r -> pending.remove(r.id()));
        for (Consumer<List<InvocationRecord>> listener : stored) {
            try {
                listener.accept(List.copyOf(batch));
            } catch (RuntimeException e) {
                log.warn("a listener of stored invocation records failed", e);
            }
        }
    }

    private void purgeIfDue() {
        long now = clock.millis();
        if (now < nextPurge) {
            return;
        }
        nextPurge = now + PURGE_EVERY.toMillis();
        long deleted = invocations.deleteMany(lt("createdAt", new Date(now - retention.toMillis()))).getDeletedCount();
        if (deleted > 0) {
            log.info("purged {} invocation record(s) older than {}", deleted, retention);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
