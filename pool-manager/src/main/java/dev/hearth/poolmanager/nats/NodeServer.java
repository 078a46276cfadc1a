package dev.hearth.poolmanager.nats;

import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.support.Threads;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one node's pool manager on NATS. It answers invocations sent to the node itself (warm
 * affinity) and, as a member of the {@value Wire#NODES} queue group, those sent to any node; it
 * takes image checks and {@code minWarm} preparations from the queue group, retirements from a
 * broadcast, and announces what it holds every heartbeat so control planes can place calls.
 * This class is the subscriptions, the threads and the shutdown; {@link NodeHandler} handles
 * each message.
 */
public final class NodeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeServer.class);

    private final Connection nats;
    private final Dispatcher dispatcher;
    // Calls block for as long as the function runs; the pool's capacity, not this executor, bounds them.
    private final ExecutorService calls = Executors.newCachedThreadPool(Threads.daemon("node-call"));
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(Threads.daemon("node-heartbeat"));
    private final NodeHandler handler;
    private volatile boolean closed;

    private NodeServer(Connection nats, PoolManager pool, String node) {
        this.nats = nats;
        this.handler = new NodeHandler(pool, node, outbox(nats), calls);
        this.dispatcher = nats.createDispatcher();
    }

    private static NodeHandler.Outbox outbox(Connection nats) {
        return new NodeHandler.Outbox() {
            @Override
            public void publish(String subject, Headers headers, byte[] body) {
                if (headers == null) {
                    nats.publish(subject, body);
                } else {
                    nats.publish(subject, headers, body);
                }
            }

            @Override
            public long maxPayload() {
                return nats.getMaxPayload();
            }
        };
    }

    /** Subscribes and starts announcing; the pool should already be filling. */
    public static NodeServer start(Connection nats, PoolManager pool, String node, Duration heartbeatEvery) {
        var server = new NodeServer(nats, pool, node);
        NodeHandler handler = server.handler;
        server.dispatcher.subscribe(Wire.invokeSubject(node), handler::onInvoke);
        server.dispatcher.subscribe(Wire.INVOKE_ANY, Wire.NODES, handler::onInvoke);
        server.dispatcher.subscribe(Wire.IMAGE, Wire.NODES, handler::onImage);
        server.dispatcher.subscribe(Wire.PREPARE, Wire.NODES, handler::onPrepare);
        server.dispatcher.subscribe(Wire.prepareSubject(node), handler::onPrepare);
        server.dispatcher.subscribe(Wire.RETIRE, handler::onRetire);
        server.dispatcher.subscribe(Wire.HELLO, m -> handler.announce(false));
        server.heartbeat.scheduleWithFixedDelay(() -> handler.announce(false), 0, heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        log.info("node {} is serving on NATS ({})", node, nats.getConnectedUrl());
        return server;
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
        handler.announce(true);
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
}
