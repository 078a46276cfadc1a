package dev.hearth.poolmanager.nats;

import static dev.hearth.poolmanager.nats.NodeMessages.F1;
import static dev.hearth.poolmanager.nats.NodeMessages.invoke;
import static dev.hearth.poolmanager.nats.NodeMessages.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node's handling of its messages ({@link NodeHandler}, what {@link NodeServer} subscribes),
 * with a fake pool, a recording outbox and a call executor the test runs by hand: no nats-server.
 */
class NodeHandlerTest {

    /** Runs nothing until the test says so; refuses everything once shut. */
    static final class HandRunExecutor implements Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();
        boolean shut;

        @Override
        public void execute(Runnable task) {
            if (shut) {
                throw new RejectedExecutionException("shut");
            }
            queued.add(task);
        }

        void runAll() {
            for (Runnable task; (task = queued.poll()) != null; ) {
                task.run();
            }
        }
    }

    record Sent(String subject, Headers headers, byte[] body) {
        Wire.ReplyMeta replyMeta() throws Exception {
            return Wire.JSON.readValue(headers.getFirst(Wire.META), Wire.ReplyMeta.class);
        }
    }

    final FakePool pool = new FakePool();
    final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    long maxPayload = 1 << 20;
    final NodeHandler.Outbox outbox = new NodeHandler.Outbox() {
        @Override
        public void publish(String subject, Headers headers, byte[] body) {
            sent.add(new Sent(subject, headers, body));
        }

        @Override
        public long maxPayload() {
            return maxPayload;
        }
    };
    final HandRunExecutor calls = new HandRunExecutor();
    final NodeHandler handler = new NodeHandler(pool, "n1", outbox, calls);

    @Test
    void anInvoke_runsAndIsAnsweredOnTheCallExecutor_notOnTheDispatcher() throws Exception {
        handler.onInvoke(invoke("_INBOX.1", "{\"n\":1}"));

        assertEquals(List.of(), pool.asked, "nothing ran on the dispatcher thread");
        assertTrue(sent.isEmpty());

        calls.runAll();
        assertEquals(List.of("invoke f {\"n\":1}"), pool.asked);
        assertEquals("prod", pool.requests.get(0).qualifier(), "the qualifier crosses the link");
        assertEquals("eyJjdXN0b20iOnt9fQ==", pool.requests.get(0).clientContext(), "so does the client context");
        Sent reply = sent.remove();
        assertEquals("_INBOX.1", reply.subject());
        Wire.ReplyMeta meta = reply.replyMeta();
        assertNull(meta.error());
        assertEquals(1, meta.served());
        Invocation invocation = meta.toInvocation("inv-1", reply.body());
        assertEquals(StartKind.WARM, invocation.start());
        assertArrayEquals(pool.result, ((Outcome.Success) invocation.outcome()).json());
    }

    @Test
    void anInvokeWithNowhereToReply_isDropped() {
        handler.onInvoke(message(Wire.INVOKE_ANY, new byte[0]));
        assertTrue(calls.queued.isEmpty());
    }

    @Test
    void aResultLargerThanTheLink_isAnsweredAsAnError() throws Exception {
        maxPayload = 5_000;
        pool.result = ("\"" + "x".repeat(6_000) + "\"").getBytes(StandardCharsets.UTF_8);
        handler.onInvoke(invoke("_INBOX.1", "{}"));
        calls.runAll();

        Sent reply = sent.remove();
        Outcome outcome = reply.replyMeta().toInvocation("inv-1", reply.body()).outcome();
        assertInstanceOf(Outcome.FunctionError.class, outcome);
        assertTrue(new String(reply.body(), StandardCharsets.UTF_8).contains("Runtime.ResponseTooLarge"));
    }

    @Test
    void aRetire_runsOnTheCallExecutor_notOnTheDispatcherThread() {
        handler.onRetire(message(Wire.RETIRE, Wire.write(Wire.Retire.all("f"))));
        handler.onRetire(message(Wire.RETIRE, Wire.write(Wire.Retire.of("f", Set.of(3L, 1L)))));
        assertEquals(List.of(), pool.asked, "the dispatcher thread only decoded them");

        calls.runAll();
        assertEquals(List.of("retire f", "retireVersions f [1, 3]"), pool.asked);
    }

    @Test
    void aSlowRetirement_doesNotHoldUpAnInvokeThatComesAfterIt() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            var realCalls = new NodeHandler(pool, "n1", outbox, threads);
            pool.retireBlocks = new CountDownLatch(1); // the engine's docker rm hangs

            realCalls.onRetire(message(Wire.RETIRE, Wire.write(Wire.Retire.all("f"))));
            realCalls.onInvoke(invoke("_INBOX.2", "{}"));

            Sent reply = sent.poll(30, TimeUnit.SECONDS);
            assertNotNull(reply, "the invoke was held up behind the retirement");
            assertEquals("_INBOX.2", reply.subject());
            assertFalse(pool.retireDone, "the invoke was answered while the retirement still ran");
        } finally {
            pool.retireBlocks.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void malformedMessages_areRefused_andTheNodeGoesOn() throws Exception {
        handler.onInvoke(NatsMessage.builder().subject(Wire.INVOKE_ANY).replyTo("_INBOX.bad").data("{}").build()); // no meta header
        handler.onRetire(message(Wire.RETIRE, "not json".getBytes(StandardCharsets.UTF_8)));
        handler.onRetire(message(Wire.RETIRE, "{\"versions\":[1],\"all\":false}".getBytes(StandardCharsets.UTF_8))); // no function
        handler.onRetire(message(Wire.RETIRE, "{\"functionId\":\"f\",\"versions\":[null]}".getBytes(StandardCharsets.UTF_8)));
        handler.onPrepare(message(Wire.PREPARE, "{\"id\":".getBytes(StandardCharsets.UTF_8)));
        calls.runAll();

        Sent refusal = sent.remove();
        assertEquals("_INBOX.bad", refusal.subject());
        Wire.ReplyMeta meta = refusal.replyMeta();
        assertEquals("node n1 failed in the platform; its log has details", meta.error());
        assertFalse(meta.capacity());
        assertTrue(sent.isEmpty(), "the bad prepare announced nothing");
        assertEquals(List.of(), pool.asked);

        handler.onInvoke(invoke("_INBOX.good", "{}"));
        calls.runAll();
        assertNull(sent.remove().replyMeta().error());
    }

    @Test
    void onceTheCallExecutorIsShut_anInvokeIsAnsweredThatTheNodeIsShuttingDown() throws Exception {
        calls.shut = true;
        handler.onInvoke(invoke("_INBOX.1", "{}"));
        assertEquals("node n1 is shutting down", sent.remove().replyMeta().error());
    }

    @Test
    void theHeartbeat_announcesIdleAndKeptCounts() throws Exception {
        handler.onInvoke(invoke("_INBOX.1", "{}"));
        calls.runAll();
        sent.clear();

        handler.announce(false);

        Sent beat = sent.remove();
        assertEquals(Wire.ANNOUNCE, beat.subject());
        Wire.Announcement announcement = Wire.read(beat.body(), Wire.Announcement.class);
        assertEquals("n1", announcement.node());
        assertEquals(1, announcement.served());
        assertTrue(announcement.ready());
        assertFalse(announcement.leaving());
        assertEquals(Map.of(new VersionKey("f", 1), 3), announcement.idleByVersion());
        assertEquals(Set.of(new VersionKey("g", 4)), announcement.keptVersions());
        assertEquals(1, announcement.busy());
        assertEquals(10, announcement.maxContainers());
        assertEquals(Map.of("python", 2), announcement.prewarmed());
        assertEquals(Map.of("python", 1), announcement.starting());
    }

    @Test
    void aPreparation_runsOnThePool_andIsAnnouncedAtOnce() throws Exception {
        handler.onPrepare(message(Wire.PREPARE, Wire.write(F1)));

        assertEquals(List.of("prepare f"), pool.asked);
        assertEquals(Wire.ANNOUNCE, sent.remove().subject());
    }

    @Test
    void anImageCheck_runsOnTheCallExecutor_andIsAnswered() throws Exception {
        handler.onImage(NatsMessage.builder().subject(Wire.IMAGE).replyTo("_INBOX.img").data("alpine:3").build());
        assertEquals(List.of(), pool.asked);

        calls.runAll();
        assertEquals(List.of("requireImage alpine:3"), pool.asked);
        Sent answer = sent.remove();
        assertEquals("_INBOX.img", answer.subject());
        assertNull(Wire.read(answer.body(), Wire.ImageReply.class).error());
    }
}
