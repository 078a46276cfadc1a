package dev.hearth.controlplane.async;

import dev.hearth.controlplane.fair.FairQueue;
import dev.hearth.controlplane.fair.FairScheduler;
import dev.hearth.poolmanager.support.Threads;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed mode's queue: the stream {@value #STREAM} (file storage, work-queue retention), read
 * through one durable pull consumer shared by every control plane, so each job goes to one of
 * them at a time. The stream is first come, first served, so a fair dispatcher stands in front of
 * the pull: a control plane fetches jobs into per-owner lanes of a {@link FairScheduler} and runs
 * them in turn across owners, each owner at most its share of the workers. A lane holds twice its
 * owner's share; a job whose owner's lane is full is handed back ("parked") for {@link #PARK}, to
 * this or another control plane. Fetching past one owner's backlog this way is what lets another
 * owner's job in at once, and what leaves the rest of a backlog to the other control planes. A job
 * is acknowledged when it ends and negatively acknowledged with a delay to be retried; while it
 * waits in a lane or runs, the control plane tells the server so every third of the ack wait, and
 * one that dies stops doing so: the job is delivered again once the ack wait passes.
 */
final class JetStreamQueue implements AsyncQueue {

    private static final Logger log = LoggerFactory.getLogger(JetStreamQueue.class);
    static final String STREAM = "HEARTH_ASYNC";
    static final String SUBJECT = "hearth.async.jobs";
    static final String CONSUMER = "hearth-async";
    private static final String ID = "Hearth-Invocation-Id";
    private static final String OWNER = "Hearth-Owner";
    private static final Duration FETCH_WAIT = Duration.ofMillis(500);
    private static final int FETCH_BATCH = 256;
    /** How long a job of an owner whose lane is full is handed back for. */
    static final Duration PARK = Duration.ofSeconds(3);

    private final Duration ackWait;
    private final JetStream jetStream;
    private final JetStreamSubscription subscription;
    private final FairScheduler<String> workers;
    private final ScheduledExecutorService keepAlive;
    private final Semaphore room = new Semaphore(0);
    private final int buffered;
    private final Thread fetcher;
    private volatile Consumer<Delivery> handler;
    private volatile boolean closed;

    /**
     * @param workers        jobs run at once by this control plane, all owners together
     * @param perUserRunning jobs of one owner run at once
     */
    JetStreamQueue(Connection nats, int workers, int perUserRunning, Duration ackWait)
            throws IOException, JetStreamApiException {
        this.ackWait = ackWait;
        JetStreamManagement management = nats.jetStreamManagement();
        try {
            management.getStreamInfo(STREAM);
        } catch (JetStreamApiException e) {
            management.addStream(StreamConfiguration.builder()
                    .name(STREAM)
                    .subjects(SUBJECT)
                    .retentionPolicy(RetentionPolicy.WorkQueue)
                    .storageType(StorageType.File)
                    .duplicateWindow(Duration.ofMinutes(2))
                    .build());
            log.info("created JetStream stream {}", STREAM);
        }
        // Jobs waiting in lanes are pending too: a low ack-pending limit they filled would hold back every new owner's job.
        management.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder()
                .durable(CONSUMER)
                .filterSubject(SUBJECT)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(ackWait)
                .maxAckPending(1_000_000)
                .build());
        this.jetStream = nats.jetStream();
        this.subscription = jetStream.subscribe(SUBJECT, PullSubscribeOptions.bind(STREAM, CONSUMER));
        this.buffered = Math.max(1_000, 4 * workers);
        this.workers = new FairScheduler<>("async", workers, new FairQueue.Limits(perUserRunning, 2 * perUserRunning, buffered));
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(Threads.daemon("async-keepalive"));
        this.fetcher = Threads.daemonThread("async-fetcher", this::fetch);
    }

    /**
     * Publishes the job and waits for the stream's acknowledgement; the invocation id de-duplicates a
     * resend. The record holds the event, so the jobs in lanes and on the stream stay small.
     */
    @Override
    public void enqueue(String id, String owner) throws IOException, JetStreamApiException {
        jetStream.publish(NatsMessage.builder().subject(SUBJECT).headers(new Headers().put(ID, id).put(OWNER, owner)).build(),
                PublishOptions.builder().messageId(id).build());
    }

    @Override
    public void start(Consumer<Delivery> handler) {
        this.handler = handler;
        fetcher.start();
    }

    private void fetch() {
        while (!closed) {
            try {
                int free = buffered - workers.waiting();
                if (free <= 0) {
                    room.tryAcquire(FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                for (Message message : subscription.fetch(Math.min(free, FETCH_BATCH), FETCH_WAIT)) {
                    hand(message);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("fetching async jobs failed; retrying: {}", e.getMessage());
                    sleepQuietly();
                }
            }
        }
    }

    /** Into its owner's lane, or back to the stream for a while when that lane is full. */
    private void hand(Message message) {
        Headers headers = message.getHeaders();
        String owner = headers == null || headers.getFirst(OWNER) == null ? "" : headers.getFirst(OWNER);
        if (!workers.hasRoom(owner)) {
            message.nakWithDelay(PARK);
            return;
        }
        Job job = new Job(message);
        boolean queued = workers.submit(owner, () -> {
            room.release();
            handler.accept(job);
        });
        if (!queued) {
            job.retryAfter(PARK);
        }
    }

    private final class Job implements Delivery {
        private final Message message;
        private final ScheduledFuture<?> working;

        Job(Message message) {
            this.message = message;
            long every = ackWait.toMillis() / 3;
            this.working = keepAlive.scheduleAtFixedRate(message::inProgress, every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        public String id() {
            Headers headers = message.getHeaders();
            return headers == null ? null : headers.getFirst(ID);
        }

        /** Jobs queued before the event moved to the record carry it here. */
        @Override
        public byte[] event() {
            byte[] data = message.getData();
            return data == null || data.length == 0 ? null : data;
        }

        @Override
        public long deliveries() {
            return message.metaData().deliveredCount();
        }

        @Override
        public void done() {
            working.cancel(false);
            message.ack();
        }

        @Override
        public void retryAfter(Duration delay) {
            working.cancel(false);
            message.nakWithDelay(delay);
        }
    }

    @Override
    public void close() {
        closed = true;
        fetcher.interrupt();
        workers.close();
        keepAlive.shutdownNow();
        try {
            subscription.unsubscribe();
        } catch (RuntimeException e) {
            log.debug("unsubscribing from {}: {}", STREAM, e.getMessage());
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
