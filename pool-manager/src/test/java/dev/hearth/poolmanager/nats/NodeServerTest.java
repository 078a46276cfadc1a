package dev.hearth.poolmanager.nats;

import static dev.hearth.poolmanager.nats.NodeMessages.F1;
import static dev.hearth.poolmanager.nats.NodeMessages.invoke;
import static dev.hearth.poolmanager.nats.NodeMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.MessageHandler;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link NodeServer} subscribes, which thread each message is handled on, and the order it
 * shuts down in, over a jnats {@link Connection} and {@link Dispatcher} made of proxies that
 * record their calls: no nats-server. Waits are on queues and latches, never sleeps.
 */
class NodeServerTest {

    static final String NODE = "n1";
    /** Long enough that only the first beat, at start, falls in a test. */
    static final Duration HEARTBEAT = Duration.ofHours(1);

    record Subscription(String subject, String queue) {}

    record Published(String subject, Headers headers, byte[] body, String thread) {
        boolean leaving() {
            return Wire.read(body, Wire.Announcement.class).leaving();
        }

        Wire.ReplyMeta replyMeta() throws Exception {
            return Wire.JSON.readValue(headers.getFirst(Wire.META), Wire.ReplyMeta.class);
        }
    }

    final FakePool pool = new FakePool();
    final Map<Subscription, MessageHandler> subscriptions = new ConcurrentHashMap<>();
    /** Drains, publishes and flushes, in the order they were asked for. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    final BlockingQueue<Published> published = new LinkedBlockingQueue<>();
    final Dispatcher dispatcher = fake(Dispatcher.class, (method, args) -> switch (method.getName()) {
        case "subscribe" -> {
            subscriptions.put(new Subscription((String) args[0], args.length == 3 ? (String) args[1] : null),
                    (MessageHandler) args[args.length - 1]);
            yield null;
        }
        case "drain" -> {
            calls.add("drain");
            yield CompletableFuture.completedFuture(true);
        }
        default -> null;
    });
    final Connection nats = fake(Connection.class, (method, args) -> switch (method.getName()) {
        case "createDispatcher" -> dispatcher;
        case "publish" -> {
            calls.add("publish " + args[0]);
            published.add(new Published((String) args[0], args.length == 3 ? (Headers) args[1] : null, (byte[]) args[args.length - 1],
                    Thread.currentThread().getName()));
            yield null;
        }
        case "flush" -> {
            calls.add("flush");
            yield null;
        }
        case "getMaxPayload" -> 1L << 20;
        case "getConnectedUrl" -> "nats://fake:4222";
        default -> null;
    });
    NodeServer server;

    interface Answer {
        Object answer(Method method, Object[] args) throws Exception;
    }

    /** A proxy of {@code type} that answers with {@code answer}, and with a zero of the return type where that gives null. */
    @SuppressWarnings("unchecked")
    static <T> T fake(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Object[] given = args == null ? new Object[0] : args;
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == given[0] : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy) : type.getSimpleName() + " fake";
            }
            Object value = answer.answer(method, given);
            Class<?> returns = method.getReturnType();
            if (value != null || !returns.isPrimitive() || returns == void.class) {
                return value;
            }
            return returns == boolean.class ? false : returns == long.class ? 0L : returns == double.class ? 0.0 : 0;
        });
    }

    @BeforeEach
    void start() throws Exception {
        server = NodeServer.start(nats, pool, NODE, HEARTBEAT);
        Published beat = next();
        assertEquals(Wire.ANNOUNCE, beat.subject());
        assertTrue(beat.thread().startsWith("node-heartbeat-"), "the heartbeat beats at start, on its own thread: " + beat.thread());
        assertFalse(beat.leaving());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Published next() throws InterruptedException {
        Published next = published.poll(10, TimeUnit.SECONDS);
        assertNotNull(next, "nothing was published");
        return next;
    }

    MessageHandler handler(String subject, String queue) {
        MessageHandler handler = subscriptions.get(new Subscription(subject, queue));
        assertNotNull(handler, subject + " in queue " + queue + " is not subscribed");
        return handler;
    }

    @Test
    void start_subscribesTheNodesOwnSubjects_theQueueGroupsWork_andTheBroadcasts() {
        assertEquals(Set.of(
                new Subscription(Wire.invokeSubject(NODE), null),
                new Subscription(Wire.prepareSubject(NODE), null),
                new Subscription(Wire.INVOKE_ANY, Wire.NODES),
                new Subscription(Wire.IMAGE, Wire.NODES),
                new Subscription(Wire.PREPARE, Wire.NODES),
                new Subscription(Wire.RETIRE, null),
                new Subscription(Wire.HELLO, null)), subscriptions.keySet());
    }

    @Test
    void invokes_imageChecks_andRetirements_runOnTheCallThreads_notOnTheDispatchersThread() throws Exception {
        handler(Wire.invokeSubject(NODE), null).onMessage(invoke("_INBOX.own", "{}"));
        Published reply = next();
        assertEquals("_INBOX.own", reply.subject());
        handler(Wire.INVOKE_ANY, Wire.NODES).onMessage(invoke("_INBOX.any", "{}"));
        assertEquals("_INBOX.any", next().subject());
        handler(Wire.IMAGE, Wire.NODES).onMessage(NatsMessage.builder().subject(Wire.IMAGE).replyTo("_INBOX.img").data("alpine:3").build());
        assertEquals("_INBOX.img", next().subject());
        handler(Wire.RETIRE, null).onMessage(message(Wire.RETIRE, Wire.write(Wire.Retire.of("f", Set.of(2L)))));
        server.close(); // waits for the retirement, which runs on a call thread

        assertEquals(List.of("invoke f {}", "invoke f {}", "requireImage alpine:3", "retireVersions f [2]"), pool.asked);
        assertTrue(pool.askedOn.stream().allMatch(thread -> thread.startsWith("node-call-")), pool.askedOn.toString());
        assertTrue(reply.thread().startsWith("node-call-"), "answered from the call's thread too");
    }

    @Test
    void preparations_andHellos_areHandledOnTheDispatchersThread_andAnnouncedAtOnce() throws Exception {
        String dispatcherThread = Thread.currentThread().getName();

        handler(Wire.PREPARE, Wire.NODES).onMessage(message(Wire.PREPARE, Wire.write(F1)));
        handler(Wire.prepareSubject(NODE), null).onMessage(message(Wire.prepareSubject(NODE), Wire.write(F1)));
        handler(Wire.HELLO, null).onMessage(message(Wire.HELLO, new byte[0]));

        assertEquals(List.of("prepare f", "prepare f"), pool.asked);
        assertEquals(List.of(dispatcherThread, dispatcherThread), pool.askedOn);
        for (int i = 0; i < 3; i++) {
            Published announced = published.remove();
            assertEquals(Wire.ANNOUNCE, announced.subject());
            assertEquals(dispatcherThread, announced.thread());
        }
    }

    @Test
    void close_drainsTheSubscriptions_saysGoodbye_letsCallsInFlightFinish_thenFlushes() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.duringInvoke = () -> {
            inCall.countDown();
            FakePool.await(release);
        };
        handler(Wire.INVOKE_ANY, Wire.NODES).onMessage(invoke("_INBOX.1", "{}"));
        assertTrue(inCall.await(10, TimeUnit.SECONDS));
        calls.clear();

        Thread closing = new Thread(server::close, "closing");
        closing.start();
        Published goodbye = next();
        assertEquals(Wire.ANNOUNCE, goodbye.subject());
        assertTrue(goodbye.leaving());
        assertEquals(List.of("drain", "publish " + Wire.ANNOUNCE), calls, "drained before the goodbye; no flush while a call runs");

        release.countDown();
        closing.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(closing.isAlive());
        assertEquals("_INBOX.1", next().subject());
        assertEquals(List.of("drain", "publish " + Wire.ANNOUNCE, "publish _INBOX.1", "flush"), calls);

        server.close();
        assertEquals(4, calls.size(), "a second close does nothing");
        handler(Wire.INVOKE_ANY, Wire.NODES).onMessage(invoke("_INBOX.late", "{}"));
        Published late = next();
        assertEquals("_INBOX.late", late.subject());
        assertEquals("node n1 is shutting down", late.replyMeta().error(), "the call threads are shut");
        assertNull(published.poll());
    }
}
