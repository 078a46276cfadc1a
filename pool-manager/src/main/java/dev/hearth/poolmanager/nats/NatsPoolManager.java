package dev.hearth.poolmanager.nats;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.UnknownImageException;
import dev.hearth.poolmanager.Workload;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool manager as a control plane sees it in distributed mode: the same interface as the
 * in-process {@code LocalPoolManager}, served by the pool-manager nodes on NATS. Calls are placed by
 * {@link Placement} and sent to the chosen node's own subject; with no node announced yet they go
 * to the nodes' queue group. A node that is not subscribed (it died) answers "no responders" and
 * the call, which never reached it, goes to another; a node that stops announcing during a call
 * fails that call as the platform's error, since the function may have run.
 *
 * <p>A version deployed is prepared on the node its first call will be placed on
 * ({@link Placement#prepareOn}). Functions that keep {@code minWarm} containers are handed to a {@link ProvisionReconciler},
 * which keeps each version ready on some live node.
 */
public final class NatsPoolManager implements PoolManager {

    private static final Logger log = LoggerFactory.getLogger(NatsPoolManager.class);
    /** Beyond the function's own timeout, for a cold start, an image pull of the container, and the trip. */
    private static final Duration CALL_GRACE = Duration.ofSeconds(90);
    private static final Duration IMAGE_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration RECONCILE_EVERY = Duration.ofSeconds(3);
    private static final long POLL_MILLIS = 250;

    private final Connection nats;
    /** Nanoseconds, for node liveness and for how long a call has waited. */
    private final Ticker ticker;
    private final Placement placement;
    private final ProvisionReconciler reconciler;
    private final Dispatcher dispatcher;

    private NatsPoolManager(Connection nats, Duration deadAfter, Ticker ticker) {
        this.nats = nats;
        this.ticker = ticker;
        this.placement = new Placement(deadAfter, ticker);
        this.reconciler = new ProvisionReconciler(placement,
                (node, function) -> nats.publish(Wire.prepareSubject(node), Wire.write(function)));
        this.dispatcher = nats.createDispatcher(this::onAnnouncement);
    }

    /**
     * Starts listening to node announcements and asks every node to announce itself now.
     *
     * @param deadAfter a node silent this long is taken for dead (a few of its heartbeats)
     */
    public static NatsPoolManager start(Connection nats, Duration deadAfter) {
        var manager = new NatsPoolManager(nats, deadAfter, Ticker.systemTicker());
        manager.dispatcher.subscribe(Wire.ANNOUNCE);
        nats.publish(Wire.HELLO, new byte[0]);
        manager.reconciler.start(RECONCILE_EVERY);
        return manager;
    }

    private void onAnnouncement(Message message) {
        try {
            Wire.Announcement announcement = Wire.read(message.getData(), Wire.Announcement.class);
            if (placement.announced(announcement)) {
                log.info("pool-manager node {} joined ({} containers at most)", announcement.node(), announcement.maxContainers());
            } else if (announcement.leaving()) {
                log.info("pool-manager node {} left", announcement.node());
            }
        } catch (RuntimeException e) {
            log.warn("ignoring a malformed node announcement: {}", e.getMessage());
        }
    }

    @Override
    public Invocation invoke(InvokeRequest request) {
        FunctionSpec function = request.function();
        if (nats.getStatus() != Connection.Status.CONNECTED) {
            throw PoolException.unavailable("this control plane has lost its NATS connection (" + nats.getStatus() + "); retry shortly");
        }
        if (request.event().length + 16 * 1024 > nats.getMaxPayload()) {
            throw PoolException.unavailable("the event (" + request.event().length + " bytes) is larger than the dispatch link carries ("
                    + nats.getMaxPayload() + " bytes); raise the NATS server's max_payload");
        }
        var headers = Wire.meta(new Wire.InvokeMeta(function, request.invocationId(), request.qualifier(), request.clientContext()));
        Set<String> tried = new HashSet<>();
        PoolException refused = null;
        while (true) {
            Placement.NodeView node = placement.choose(function.key(), tried);
            if (node == null && !tried.isEmpty()) {
                throw refused != null ? refused : PoolException.unavailable("no pool-manager node could take the call");
            }
            Attempt attempt = send(request, headers, node);
            if (attempt.invocation() != null) {
                return attempt.invocation();
            }
            // The call never ran there (the node is gone, or full): another node may take it.
            tried.add(attempt.skip());
            refused = attempt.refusal() != null ? attempt.refusal() : refused;
        }
    }

    /** How one try went: the invocation, or the node to leave out of the next try (and why, if it refused). */
    private record Attempt(Invocation invocation, String skip, PoolException refusal) {}

    /** Sends the call to {@code node}, or to the nodes' queue group when null, and waits for its end. */
    private Attempt send(InvokeRequest request, Headers headers, Placement.NodeView node) {
        FunctionSpec function = request.function();
        Duration limit = Duration.ofMillis(function.timeoutMs()).plus(CALL_GRACE);
        String subject = node == null ? Wire.INVOKE_ANY : Wire.invokeSubject(node.id);
        if (node != null) {
            placement.placed(node, function.key());
        }
        try {
            Message reply;
            try {
                reply = await(nats.requestWithTimeout(subject, headers, request.event(), limit), node, limit);
            } catch (NoResponders e) {
                if (node == null) {
                    throw PoolException.unavailable("no pool-manager node is connected to NATS");
                }
                placement.forget(node.id);
                log.info("pool-manager node {} is gone; placing the call elsewhere", node.id);
                return new Attempt(null, node.id, null);
            }
            Wire.ReplyMeta meta = Wire.meta(reply, Wire.ReplyMeta.class);
            if (meta.error() != null) {
                if (meta.capacity()) {
                    return new Attempt(null, meta.node(), PoolException.atCapacity(meta.error()));
                }
                throw PoolException.unavailable(meta.error());
            }
            Invocation invocation = meta.toInvocation(request.invocationId(), reply.getData());
            boolean idleAgain = !isExec(function)
                    && (invocation.outcome() instanceof Outcome.Success || invocation.outcome() instanceof Outcome.FunctionError);
            placement.answered(meta.node(), function.key(), meta.served(), idleAgain);
            return new Attempt(invocation, null, null);
        } finally {
            if (node != null) {
                placement.released(node);
            }
        }
    }

    private static boolean isExec(FunctionSpec function) {
        return function.workload() instanceof Workload.Image image && image.contract() == Workload.Contract.EXEC;
    }

    /** Thrown when nobody is subscribed to the subject. */
    private static final class NoResponders extends Exception {
        NoResponders() {
            super(null, null, false, false);
        }
    }

    /** Waits for the reply, giving up early when the node it went to stops announcing. */
    private Message await(CompletableFuture<Message> reply, Placement.NodeView node, Duration limit) throws NoResponders {
        long deadline = ticker.read() + limit.toNanos();
        while (true) {
            try {
                return reply.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (node != null && !placement.alive(node.id)) {
                    reply.cancel(true);
                    log.warn("pool-manager node {} was lost with a call in flight; the call failed", node.id);
                    throw PoolException.unavailable("pool-manager node " + node.id + " stopped answering during the call");
                }
                if (ticker.read() > deadline) {
                    reply.cancel(true);
                    throw PoolException.unavailable("no answer from " + (node == null ? "any node" : "node " + node.id)
                            + " within " + limit.toSeconds() + " s");
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof JetStreamStatusException status && status.getStatus().isNoResponders()) {
                    throw new NoResponders();
                }
                log.warn("dispatch of a call failed", e.getCause());
                throw new PoolException("the call could not be dispatched to a node; retry shortly", e.getCause());
            } catch (CancellationException e) {
                throw PoolException.unavailable("the dispatch of the call was cancelled (NATS connection lost?)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply.cancel(true);
                throw PoolException.unavailable("interrupted while waiting for a node");
            }
        }
    }

    @Override
    public void prepare(FunctionSpec function) {
        if (function.minWarm() > 0) {
            reconciler.keep(function);
        } else {
            reconciler.drop(function.key());
            // Code prefetch (and a pre-started container for the first call), best effort, on the
            // node the first call will go to; with none announced yet, on any one.
            Placement.NodeView node = placement.prepareOn(function.key());
            nats.publish(node == null ? Wire.PREPARE : Wire.prepareSubject(node.id), Wire.write(function));
        }
    }

    @Override
    public void retire(String functionId) {
        reconciler.dropFunction(functionId);
        nats.publish(Wire.RETIRE, Wire.write(Wire.Retire.all(functionId)));
    }

    @Override
    public void retireVersions(String functionId, Set<Long> versions) {
        Wire.Retire retire = Wire.Retire.of(functionId, versions);
        retire.versions().forEach(version -> reconciler.drop(new VersionKey(functionId, version)));
        nats.publish(Wire.RETIRE, Wire.write(retire));
    }

    @Override
    public void requireImage(String image) {
        Message reply;
        try {
            reply = nats.requestWithTimeout(Wire.IMAGE, image.getBytes(StandardCharsets.UTF_8), IMAGE_TIMEOUT)
                    .get(IMAGE_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JetStreamStatusException) {
                throw PoolException.unavailable("no pool-manager node is connected to check the image");
            }
            log.warn("image check failed", e.getCause());
            throw new PoolException("the image check could not be dispatched to a node; retry shortly", e.getCause());
        } catch (TimeoutException | CancellationException e) {
            throw PoolException.unavailable("no node answered the image check in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PoolException.unavailable("interrupted");
        }
        Wire.ImageReply answer = Wire.read(reply.getData(), Wire.ImageReply.class);
        if (answer.unknown()) {
            throw new UnknownImageException(answer.error());
        }
        if (answer.error() != null) {
            throw PoolException.unavailable(answer.error());
        }
    }

    /** True once some live node has filled its pools. */
    @Override
    public boolean warmedUp() {
        return placement.anyReady();
    }

    /** The live nodes' containers added up. */
    @Override
    public PoolStats stats() {
        return placement.totals();
    }

    /** Ids of the nodes this control plane sees alive. */
    public Set<String> liveNodes() {
        return placement.liveIds();
    }

    @Override
    public void close() {
        reconciler.close();
        try {
            nats.closeDispatcher(dispatcher);
        } catch (RuntimeException e) {
            log.debug("closing the announcement dispatcher: {}", e.getMessage());
        }
    }
}
