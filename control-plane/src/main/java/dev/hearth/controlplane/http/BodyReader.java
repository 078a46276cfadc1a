package dev.hearth.controlplane.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads one request's body on its connection's IO thread without blocking, then hands it on.
 * A worker thread is taken only once the whole body is here, so a client that sends a byte
 * every few seconds holds a connection, never a worker, and only until the body deadline.
 *
 * <p>Every callback (bytes, error, deadline) runs on the connection's IO thread, so the state
 * below needs no lock. A refusal answers at once with {@code Connection: close}. The rest of a
 * refused body is read and thrown away when its length is declared and at most
 * {@link #DRAIN_LIMIT}, still within the body deadline: closing a socket with unread bytes makes
 * the kernel reset it, and a client that writes its whole body before it reads (the JDK's
 * HttpClient, most SDKs) would then see a broken connection instead of the 413. Anything else
 * (chunked, longer, a deadline passed) is closed without reading on, so a sender never chooses
 * how long a refused connection lives.
 */
final class BodyReader {

    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);

    /** The most of a refused body read and discarded so that its answer is seen; past it the connection is closed. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    /** What runs once the whole body is here, still on the IO thread. */
    interface Then {
        void accept(HttpServerExchange exchange, byte[] body);
    }

    private final HttpServerExchange exchange;
    private final long limit;
    private final long declared;
    private final BodyBudget budget;
    private final Then then;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private long reserved;
    private boolean finished;
    private boolean completed;
    private boolean draining;
    private boolean drained;
    private boolean answered;
    private StreamSourceChannel channel;
    private XnioExecutor.Key deadline;

    private BodyReader(HttpServerExchange exchange, long limit, BodyBudget budget, Then then) {
        this.exchange = exchange;
        this.limit = limit;
        this.declared = exchange.getRequestContentLength();
        this.budget = budget;
        this.then = then;
    }

    static void read(HttpServerExchange exchange, long limit, Duration timeout, BodyBudget budget, Then then) {
        if (exchange.isRequestComplete()) {
            then.accept(exchange, new byte[0]);
            return;
        }
        long declared = exchange.getRequestContentLength();
        var reader = new BodyReader(exchange, limit, budget, then);
        if (declared < 0) {
            ChunkedErrors.answerable(exchange);
        }
        // A connection that dies mid-body completes the exchange before the read error reaches
        // pump(), so this only releases; failed() still sees the error.
        exchange.addExchangeCompleteListener((ex, next) -> {
            reader.completed = true;
            reader.cancelDeadline();
            budget.release(reader.reserved);
            reader.reserved = 0;
            next.proceed();
        });
        reader.deadline = exchange.getIoThread().executeAfter(reader::expired, timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (declared > limit) {
            reader.refuse(413, "too_large", "request body of " + declared + " bytes exceeds the limit of " + limit);
            return;
        }
        reader.channel = exchange.getRequestChannel();
        reader.channel.getReadSetter().set(channel -> Connectors.executeRootHandler(ex -> reader.pump(), exchange));
        reader.pump();
    }

    /** Reads what has arrived; waits for more with reads resumed, or stops for good (finished). */
    private void pump() {
        try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
            ByteBuffer buffer = pooled.getBuffer();
            while (!finished) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n == -1) {
                    if (declared >= 0 && body.size() < declared) {
                        throw new java.io.EOFException("body ended after " + body.size() + " of " + declared + " bytes");
                    }
                    finished = true;
                    cancelDeadline();
                    channel.suspendReads();
                    then.accept(exchange, body.toByteArray());
                    return;
                }
                if (n == 0) {
                    channel.resumeReads();
                    return;
                }
                buffer.flip();
                if (!take(buffer)) {
                    return;
                }
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    /** Keeps the bytes in {@code buffer}, or refuses the body (false) when they pass the limit or the budget. */
    private boolean take(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (body.size() + (long) n > limit) {
            refuse(413, "too_large", "request body exceeds the limit of " + limit + " bytes");
            return false;
        }
        if (!budget.reserve(n)) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
            refuse(503, "unavailable", "the server is receiving too many request bodies at once; retry shortly");
            return false;
        }
        reserved += n;
        byte[] bytes = new byte[n];
        buffer.get(bytes);
        body.write(bytes, 0, n);
        return true;
    }

    private void failed(IOException e) {
        if (finished) {
            return;
        }
        if (isMalformed(e)) {
            refuse(400, "bad_request", "malformed chunked request body");
        } else {
            // The client went away mid-body (reset, closed, truncated): nothing to answer, and
            // anyone can cause it, so it is no error of ours.
            finished = true;
            cancelDeadline();
            log.debug("{} {}: the client stopped sending its body: {}", exchange.getRequestMethod(),
                    exchange.getRequestPath(), e.toString());
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** Undertow's own words for a chunk size past 2^56 and for a chunk framing it cannot read. */
    private static boolean isMalformed(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("UT000195") || message.startsWith("UT000042");
    }

    private void expired() {
        if (draining && !completed) {
            log.debug("{} {}: the rest of a refused body did not arrive in time; closing", exchange.getRequestMethod(),
                    exchange.getRequestPath());
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        if (finished) {
            return;
        }
        refuse(408, "request_timeout", "the request body did not arrive within the time allowed");
    }

    /**
     * Answers now and closes the connection after the answer. The rest of the body is read and
     * discarded first ({@link #drain}) if its declared length allows and the deadline has not
     * passed; the deadline stays set to close a drain that stalls.
     */
    private void refuse(int status, String type, String message) {
        finished = true;
        if (completed || exchange.isResponseStarted()) {
            cancelDeadline();
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        exchange.setPersistent(false);
        if (status == 408 || declared < 0 || declared > DRAIN_LIMIT || deadline == null) {
            cancelDeadline();
            if (channel != null) {
                channel.suspendReads();
            }
            Connectors.terminateRequest(exchange);
            Exchanges.sendError(exchange, status, type, message, Map.of());
            return;
        }
        // Undertow's own end of exchange would close the read side of a connection that is not
        // kept alive, unread bytes and all, so the exchange ends here once both are done.
        draining = true;
        if (channel == null) {
            channel = exchange.getRequestChannel();
        }
        channel.getReadSetter().set(c -> Connectors.executeRootHandler(ex -> drain(), exchange));
        byte[] answer = Exchanges.errorBody(type, message, Map.of());
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, answer.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(answer), new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                answered = true;
                if (drained) {
                    ex.endExchange();
                }
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                IoUtils.safeClose(ex.getConnection());
            }
        });
        drain();
    }

    /** Reads and discards what has arrived of a refused body; ends the exchange once it is all here and answered. */
    private void drain() {
        try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
            ByteBuffer buffer = pooled.getBuffer();
            while (!drained) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n == -1) {
                    drained = true;
                    channel.suspendReads();
                    if (answered) {
                        exchange.endExchange();
                    }
                } else if (n == 0) {
                    channel.resumeReads();
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("{} {}: the client stopped sending a refused body: {}", exchange.getRequestMethod(),
                    exchange.getRequestPath(), e.toString());
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.remove();
            deadline = null;
        }
    }
}
