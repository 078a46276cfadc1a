package dev.hearth.poolmanager.nats;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.UnknownImageException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does with each message it is sent: decodes it, runs it on the pool, encodes the
 * reply. Its {@code on…} methods are called on the NATS dispatcher thread, which every message
 * of the node shares, so whatever may block there (a call, an image pull, a retirement's
 * {@code docker rm}) is handed to the call executor; only preparations and announcements, which
 * return at once, run on the dispatcher. A malformed message is refused (answered as a failure,
 * or logged and dropped), never thrown back into the dispatcher.
 */
final class NodeHandler {

    /** Where replies and announcements go: the node's NATS connection. */
    interface Outbox {
        /** Publishes {@code body} on {@code subject}, with {@code headers} when not null. */
        void publish(String subject, Headers headers, byte[] body);

        /** The largest message the link carries. */
        long maxPayload();
    }

    private static final Logger log = LoggerFactory.getLogger(NodeHandler.class);

    private final PoolManager pool;
    private final String node;
    private final Outbox out;
    private final Executor calls;
    /** Invocations finished, counted by the call threads; announcements carry it to order themselves against replies. */
    private final AtomicLong served = new AtomicLong();

    NodeHandler(PoolManager pool, String node, Outbox out, Executor calls) {
        this.pool = pool;
        this.node = node;
        this.out = out;
        this.calls = calls;
    }

    void onInvoke(Message message) {
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
            Invocation invocation = pool.invoke(new InvokeRequest(function, request.invocationId(), message.getData(), request.qualifier(), request.clientContext()));
            body = Wire.body(invocation.outcome());
            // A result too large for the link would never arrive: say so instead.
            if (body.length + (invocation.logs().length * 4L / 3) + 4096 > out.maxPayload()) {
                Outcome tooLarge = Outcome.FunctionError.of("Runtime.ResponseTooLarge",
                        "the result (" + body.length + " bytes) is larger than the dispatch link carries (" + out.maxPayload() + " bytes)");
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
            out.publish(message.getReplyTo(), Wire.meta(meta), body);
        } catch (RuntimeException e) {
            log.warn("cannot send a reply from node {}: {}", node, e.getMessage());
        }
    }

    void onImage(Message message) {
        offload("image check", () -> {
            Wire.ImageReply answer;
            try {
                pool.requireImage(new String(message.getData(), StandardCharsets.UTF_8));
                answer = new Wire.ImageReply(null, false);
            } catch (UnknownImageException e) {
                answer = new Wire.ImageReply(e.getMessage(), true);
            } catch (RuntimeException e) {
                log.warn("image check on node {} failed", node, e);
                answer = new Wire.ImageReply(e instanceof PoolException ? e.getMessage()
                        : "node " + node + " could not check the image; its log has details", false);
            }
            if (message.getReplyTo() != null) {
                out.publish(message.getReplyTo(), null, Wire.write(answer));
            }
        });
    }

    void onPrepare(Message message) {
        try {
            FunctionSpec function = Wire.read(message.getData(), FunctionSpec.class);
            pool.prepare(function);
            announce(false);
        } catch (RuntimeException e) {
            log.warn("ignoring a malformed prepare message: {}", e.getMessage());
        }
    }

    void onRetire(Message message) {
        Wire.Retire retire;
        try {
            retire = Wire.read(message.getData(), Wire.Retire.class);
        } catch (RuntimeException e) {
            log.warn("ignoring a malformed retire message: {}", e.getMessage());
            return;
        }
        offload("retirement", () -> {
            try {
                if (retire.all()) {
                    pool.retire(retire.functionId());
                } else {
                    pool.retireVersions(retire.functionId(), Set.copyOf(retire.versions()));
                }
            } catch (RuntimeException e) {
                log.warn("retiring {} on node {} failed: {}", retire.functionId(), node, e.getMessage());
            }
        });
    }

    /** Announces what the node holds; {@code leaving} says goodbye. */
    void announce(boolean leaving) {
        try {
            // Read before the snapshot: a reply counted after it makes this announcement the older one.
            long count = served.get();
            var announcement = Wire.Announcement.of(node, count, pool.warmedUp(), pool.stats(), leaving);
            out.publish(Wire.ANNOUNCE, null, Wire.write(announcement));
        } catch (RuntimeException e) {
            log.debug("announcement failed: {}", e.getMessage());
        }
    }

    private void offload(String what, Runnable task) {
        try {
            calls.execute(task);
        } catch (RejectedExecutionException e) {
            log.info("node {} is shutting down: a {} is dropped", node, what);
        }
    }
}
