package dev.hearth.controlplane.async;

import java.time.Duration;

/**
 * Where async invocations wait for a worker: the store itself in embedded mode
 * ({@link StoreQueue}), a JetStream stream shared by every control plane in distributed mode
 * ({@link JetStreamQueue}). Delivery is at least once: a job whose worker stops before
 * {@link Delivery#done()} or {@link Delivery#retryAfter} is delivered again. A queue moves work
 * only: what a job's record says ({@link AsyncStatus}) is {@link AsyncRecords}' to write.
 */
interface AsyncQueue extends AutoCloseable {

    /** Stores the job of {@code owner} durably; returns only once it is stored. Its record, already stored, holds the event. */
    void enqueue(String id, String owner) throws Exception;

    /**
     * Starts handing jobs to {@code handler} on the queue's own threads: a bounded number at once,
     * fairly across owners (in turn, and no owner more than its share at once).
     */
    void start(java.util.function.Consumer<Delivery> handler);

    /** One delivery of a job. */
    interface Delivery {
        String id();

        /** The event, or null when the record holds it (every job queued since the event moved to the record). */
        byte[] event();

        /** How many times this job has been delivered, this time included (0 when the queue does not count). */
        long deliveries();

        /** The job is over (succeeded, dead-lettered or gone): never deliver it again. */
        void done();

        /** Deliver the job again, no sooner than {@code delay} from now. */
        void retryAfter(Duration delay);
    }

    @Override
    void close();
}
