package dev.hearth.controlplane.invoke;

import java.time.Duration;

/**
 * Where async invocations wait for a worker: the store itself in embedded mode
 * ({@link StoreQueue}), a JetStream stream shared by every control plane in distributed mode
 * ({@link JetStreamQueue}). Delivery is at least once: a job whose worker stops before
 * {@link Delivery#done()} or {@link Delivery#retryAfter} is delivered again.
 */
interface AsyncQueue extends AutoCloseable {

    /** True when the invocation's record holds its event (the record is the queue); false when the queue holds it. */
    boolean eventInRecord();

    /** Stores the job of {@code owner} durably; returns only once it is stored. */
    void enqueue(String id, String owner, byte[] event) throws Exception;

    /**
     * Starts handing jobs to {@code handler} on the queue's own threads: a bounded number at once,
     * fairly across owners (in turn, and no owner more than its share at once).
     */
    void start(java.util.function.Consumer<Delivery> handler);

    /** One delivery of a job. */
    interface Delivery {
        String id();

        /** The event, or null when the record holds it. */
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
