package dev.hearth.controlplane.stream;

import dev.hearth.controlplane.http.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * A {@code 200 text/event-stream} answer that stays open: events are queued from any thread and
 * written by the connection's IO thread without blocking, so a follower holds no worker thread
 * while it waits. A {@code : keep-alive} comment goes out at once when there is nothing else to
 * send (so the client has the answer's head), then every {@link #KEEP_ALIVE} in which nothing
 * else did. A client that reads too slowly, leaving more than {@code maxQueuedBytes}
 * unwritten, is disconnected rather than buffered for without bound. A client that went away is
 * noticed at the next write (the keep-alive at the latest), and the stream's close tasks run.
 */
public final class EventStream implements EventSink {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    /** What the standard suggests, well under the idle limits of common proxies and load balancers. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final byte[] KEEP_ALIVE_FRAME = SseFrames.comment("keep-alive");

    private final HttpServerExchange exchange;
    private final StreamSinkChannel channel;
    private final XnioIoThread io;
    private final long maxQueuedBytes;
    /** Frames not yet handed to the channel; guarded by itself (written from any thread, drained on the IO thread). */
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> closeTasks = new CopyOnWriteArrayList<>();
    private volatile boolean ending;
    // The IO thread's own: the frame being written, whether the stream has started, whether anything went out since the last tick.
    private ByteBuffer current;
    private boolean started;
    private boolean wrote;
    private XnioExecutor.Key keepAlive;

    private EventStream(HttpServerExchange exchange, long maxQueuedBytes) {
        this.exchange = exchange;
        this.maxQueuedBytes = maxQueuedBytes;
        this.channel = exchange.getResponseChannel();
        this.io = exchange.getIoThread();
    }

    /**
     * Turns the exchange into an event stream. Call it last in a route (on its worker thread):
     * once the route returns, the stream starts on the IO thread, and the worker is free. Events
     * may be sent at once; they go out when it starts.
     */
    static EventStream open(HttpServerExchange exchange, long maxQueuedBytes) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        // Proxies such as nginx buffer answers unless told not to; an event stream must flow.
        exchange.getResponseHeaders().put(new io.undertow.util.HttpString("X-Accel-Buffering"), "no");
        exchange.setPersistent(false);
        EventStream stream = new EventStream(exchange, maxQueuedBytes);
        exchange.getConnection().addCloseListener(connection -> stream.closed());
        exchange.dispatch(stream.io, stream::begin);
        return stream;
    }

    /** Runs once the stream has closed, however it closed; at once if it already has. */
    public void whenClosed(Runnable task) {
        closeTasks.add(task);
        if (closed.get() && closeTasks.remove(task)) {
            task.run();
        }
    }

    @Override
    public void send(String event, Object data) {
        offer(SseFrames.event(event, new String(Json.write(data), java.nio.charset.StandardCharsets.UTF_8)), false);
    }

    @Override
    public void end(Object data) {
        offer(SseFrames.event("end", new String(Json.write(data), java.nio.charset.StandardCharsets.UTF_8)), true);
    }

    @Override
    public boolean isOpen() {
        return !ending && !closed.get();
    }

    private void offer(byte[] frame, boolean last) {
        synchronized (queue) {
            if (ending || closed.get()) {
                return;
            }
            if (queuedBytes.addAndGet(frame.length) > maxQueuedBytes) {
                log.info("closing an event stream whose client fell {} bytes behind", queuedBytes.get());
                ending = true;
                io.execute(this::abort);
                return;
            }
            queue.add(ByteBuffer.wrap(frame));
            ending = last;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            io.execute(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** On the IO thread, once the route has returned: headers out, then whatever was sent meanwhile. */
    private void begin() {
        if (closed.get()) {
            return;
        }
        started = true;
        channel.getWriteSetter().set(ch -> drain());
        channel.getCloseSetter().set(ch -> closed());
        keepAlive = io.executeAtInterval(this::tick, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        boolean idle;
        synchronized (queue) {
            idle = queue.isEmpty();
        }
        if (idle) {
            // Undertow sends the head with the first bytes of the body: a comment now tells the client the stream is open.
            offer(KEEP_ALIVE_FRAME, false);
        }
        drain();
    }

    private void tick() {
        if (!wrote && !closed.get()) {
            offer(KEEP_ALIVE_FRAME, false);
        }
        wrote = false;
    }

    /** On the IO thread: writes what the channel takes now, and waits for it to take more. */
    private void drain() {
        if (!started || closed.get()) {
            return;
        }
        try {
            while (true) {
                if (current == null) {
                    synchronized (queue) {
                        current = queue.poll();
                    }
                    if (current == null) {
                        break;
                    }
                }
                int written = channel.write(current);
                queuedBytes.addAndGet(-written);
                if (current.hasRemaining()) {
                    channel.resumeWrites();
                    return;
                }
                current = null;
                wrote = true;
            }
            if (!channel.flush()) {
                channel.resumeWrites();
                return;
            }
            boolean done;
            synchronized (queue) {
                done = ending && queue.isEmpty();
            }
            if (done) {
                finish();
            } else {
                channel.suspendWrites();
            }
        } catch (IOException e) {
            log.debug("an event stream's client went away: {}", e.getMessage());
            abort();
        }
    }

    /** Everything was written after the last event: the answer ends, and with it the connection. */
    private void finish() throws IOException {
        channel.shutdownWrites();
        if (channel.flush()) {
            IoUtils.safeClose(channel);
            closed();
            return;
        }
        channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                ch -> {
                    IoUtils.safeClose(ch);
                    closed();
                },
                (ch, e) -> abort()));
        channel.resumeWrites();
    }

    private void abort() {
        IoUtils.safeClose(exchange.getConnection());
        closed();
    }

    private void closed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ending = true;
        if (keepAlive != null) {
            keepAlive.remove();
        }
        synchronized (queue) {
            queue.clear();
        }
        for (Runnable task : closeTasks) {
            if (closeTasks.remove(task)) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("a task at an event stream's close failed", e);
                }
            }
        }
    }
}
