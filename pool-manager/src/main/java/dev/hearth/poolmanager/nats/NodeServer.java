package dev.hearth.poolmanager.nats;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.UnknownImageException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one node's pool manager on NATS. It answers invocations sent to the node itself (warm
 * affinity) and, as a member of the {@value Wire#NODES} queue group, those sent to any node; it
 * takes image checks and {@code minWarm} preparations from the queue group, retirements from a
 * broadcast, and announces what it holds every heartbeat so control planes can place calls.
 */
public final class NodeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeServer.class);

    private final Connection nats;
    private final PoolManager pool;
    private final String node;
    private final Dispatcher dispatcher;
    private final ExecutorService calls;
    private final ScheduledExecutorService heartbeat;
    private final AtomicLong served = new AtomicLong();
    private volatile boolean closed;

    private NodeServer(Connection nats, PoolManager pool, String node) {
        this.nats = nats;
        this.pool = pool;
        this.node = node;
        AtomicInteger n = new AtomicInteger();
        // Calls block for as long as the function runs; the pool's capacity, not this executor, bounds them.
        this.calls = Executors.newCachedThreadPool(r -> daemon(r, "node-call-" + n.incrementAndGet()));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-heartbeat"));
        this.dispatcher = nats.createDispatcher();
    }

    /** Subscribes and starts announcing; the pool should already be filling. */
    public static NodeServer start(Connection nats, PoolManager pool, String node, Duration heartbeatEvery) {
        var server = new NodeServer(nats, pool, node);
        server.dispatcher.subscribe(Wire.invokeSubject(node), server::onInvoke);
        server.dispatcher.subscribe(Wire.INVOKE_ANY, Wire.NODES, server::onInvoke);
        server.dispatcher.subscribe(Wire.IMAGE, Wire.NODES, server::onImage);
        server.dispatcher.subscribe(Wire.PREPARE, Wire.NODES, server::onPrepare);
        server.dispatcher.subscribe(Wire.prepareSubject(node), server::onPrepare);
        server.dispatcher.subscribe(Wire.RETIRE, server::onRetire);
        server.dispatcher.subscribe(Wire.HELLO, m -> server.announce(false));
        server.heartbeat.scheduleWithFixedDelay(() -> server.announce(false), 0, heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        log.info("node {} is serving on NATS ({})", node, nats.getConnectedUrl());
        return server;
    }

    private void onInvoke(Message message) {
        if (message.getReplyTo() == null) {
            return;
        }
        try {
            calls.execute(() -> invoke(message));
        } catch (RejectedExecutionException e) {
            reply(message, Wire.ReplyMeta.failure(node, "node " + node + " is shutting down", false, served.get()), new byte[0]);
        }
    }

    private void invoke(Message message) {
        Wire.ReplyMeta meta;
        byte[] body = new byte[0];
        try {
            Wire.InvokeMeta request = Wire.meta(message, Wire.InvokeMeta.class);
            FunctionSpec function = request.function();
            Invocation invocation = pool.invoke(new InvokeRequest(function, request.invocationId(), message.getData()));
            body = Wire.body(invocation.outcome());
            // A result too large for the link would never arrive: say so instead.
            if (body.length + (invocation.logs().length * 4L / 3) + 4096 > nats.getMaxPayload()) {
                Outcome tooLarge = Outcome.FunctionError.of("Runtime.ResponseTooLarge",
                        "the result (" + body.length + " bytes) is larger than the dispatch link carries (" + nats.getMaxPayload() + " bytes)");
                invocation = new Invocation(invocation.invocationId(), invocation.start(), tooLarge, invocation.initMicros(),
                        invocation.runMicros(), null, node);
                body = Wire.body(tooLarge);
            }
            meta = Wire.ReplyMeta.of(invocation, served.incrementAndGet());
        } catch (PoolException e) {
            meta = Wire.ReplyMeta.failure(node, e.getMessage(), e.atCapacity(), served.get());
        } catch (RuntimeException e) {
            log.warn("invocation on node {} failed in the platform", node, e);
            // The exception's text may name host paths or a library's objects: the log above has it.
            meta = Wire.ReplyMeta.failure(node, "node " + node + " failed in the platform; its log has details", false, served.get());
        }
        reply(message, meta, body);
    }

    private void reply(Message message, Wire.ReplyMeta meta, byte[] body) {
        try {
            nats.publish(message.getReplyTo(), Wire.meta(meta), body);
        } catch (RuntimeException e) {
            log.warn("cannot send a reply from node {}: {}", node, e.getMessage());
        }
    }

    private void onImage(Message message) {
        calls.execute(() -> {
            Wire.ImageReply answer;
            try {
                pool.requireImage(new String(message.getData(), java.nio.charset.StandardCharsets.UTF_8));
                answer = new Wire.ImageReply(null, false);
            } catch (UnknownImageException e) {
                answer = new Wire.ImageReply(e.getMessage(), true);
            } catch (RuntimeException e) {
                log.warn("image check on node {} failed", node, e);
                answer = new Wire.ImageReply(e instanceof PoolException ? e.getMessage()
                        : "node " + node + " could not check the image; its log has details", false);
            }
            if (message.getReplyTo() != null) {
                nats.publish(message.getReplyTo(), Wire.write(answer));
            }
        });
    }

    private void onPrepare(Message message) {
        try {
            FunctionSpec function = Wire.read(message.getData(), FunctionSpec.class);
            pool.prepare(function);
            announce(false);
        } catch (RuntimeException e) {
            log.warn("ignoring a malformed prepare message: {}", e.getMessage());
        }
    }

    private void onRetire(Message message) {
        try {
            Wire.Retire retire = Wire.read(message.getData(), Wire.Retire.class);
            if (retire.below() == Long.MAX_VALUE) {
                pool.retire(retire.functionId());
            } else {
                pool.retireOlderThan(new VersionKey(retire.functionId(), retire.below()));
            }
        } catch (RuntimeException e) {
            log.warn("ignoring a malformed retire message: {}", e.getMessage());
        }
    }

    private void announce(boolean leaving) {
        try {
            // Read before the snapshot: a reply counted after it makes this announcement the older one.
            long count = served.get();
            var announcement = Wire.Announcement.of(node, count, pool.warmedUp(), pool.stats(), leaving);
            nats.publish(Wire.ANNOUNCE, Wire.write(announcement));
        } catch (RuntimeException e) {
            log.debug("announcement failed: {}", e.getMessage());
        }
    }

    /** Stops taking work, says goodbye so control planes stop placing calls here, and lets calls in flight finish. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.shutdownNow();
        try {
            dispatcher.drain(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("draining node subscriptions: {}", e.getMessage());
        }
        announce(true);
        calls.shutdown();
        try {
            calls.awaitTermination(30, TimeUnit.SECONDS);
            nats.flush(Duration.ofSeconds(2));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
