package dev.hearth.controlplane.invoke;

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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed mode's queue: the stream {@value #STREAM} (file storage, work-queue retention), read
 * through one durable pull consumer shared by every control plane, so each job goes to one of
 * them at a time. A job is acknowledged when it ends and negatively acknowledged with a delay to
 * be retried; while a worker runs it, the worker tells the server so every third of the ack wait,
 * and a worker that dies stops doing so: the job is delivered again once the ack wait passes.
 */
final class JetStreamQueue implements AsyncQueue {

    private static final Logger log = LoggerFactory.getLogger(JetStreamQueue.class);
    static final String STREAM = "HEARTH_ASYNC";
    static final String SUBJECT = "hearth.async.jobs";
    static final String CONSUMER = "hearth-async";
    private static final String ID = "Hearth-Invocation-Id";
    private static final Duration FETCH_WAIT = Duration.ofMillis(500);

    private final Duration ackWait;
    private final JetStream jetStream;
    private final JetStreamSubscription subscription;
    private final ExecutorService workers;
    private final ScheduledExecutorService keepAlive;
    private final Semaphore free;
    private final Thread fetcher;
    private volatile Consumer<Delivery> handler;
    private volatile boolean closed;

    JetStreamQueue(Connection nats, int workers, Duration ackWait) throws IOException, JetStreamApiException {
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
        management.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder()
                .durable(CONSUMER)
                .filterSubject(SUBJECT)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(ackWait)
                .maxAckPending(10_000)
                .build());
        this.jetStream = nats.jetStream();
        this.subscription = jetStream.subscribe(SUBJECT, PullSubscribeOptions.bind(STREAM, CONSUMER));
        this.free = new Semaphore(workers);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> daemon(r, "async-" + n.incrementAndGet()));
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "async-keepalive"));
        this.fetcher = daemon(this::fetch, "async-fetcher");
    }

    @Override
    public boolean eventInRecord() {
        return false;
    }

    /** Publishes the job and waits for the stream's acknowledgement; the invocation id de-duplicates a resend. */
    @Override
    public void enqueue(String id, byte[] event) throws IOException, JetStreamApiException {
        jetStream.publish(NatsMessage.builder().subject(SUBJECT).headers(new Headers().put(ID, id)).data(event).build(),
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
                free.acquire();
                int wanted = 1 + free.drainPermits();
                List<Message> messages = subscription.fetch(wanted, FETCH_WAIT);
                free.release(wanted - messages.size());
                for (Message message : messages) {
                    workers.execute(() -> {
                        try {
                            handler.accept(new Job(message));
                        } finally {
                            free.release();
                        }
                    });
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

        @Override
        public byte[] event() {
            return message.getData();
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
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
