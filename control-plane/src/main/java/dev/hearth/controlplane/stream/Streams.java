package dev.hearth.controlplane.stream;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.support.Threads;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live streams of this control plane ({@code …/build?follow=true}, {@code …/logs?follow=true}):
 * opening them within their caps ({@link #USER_MAX} per user, {@link #MAX} in all; 429 past
 * either), and the few threads that do their store reads, so no stream holds a thread of its own.
 */
public final class Streams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Streams.class);

    /** Streams one user may hold open on one control plane. */
    public static final int USER_MAX = 16;
    /** Streams one control plane holds open, all users together. */
    public static final int MAX = 256;
    /**
     * Bytes a stream may have waiting for a slow client before it is disconnected: room for a
     * build's whole end (its log at the builder's cap, every byte escaped) while the client reads.
     */
    static final long MAX_QUEUED_BYTES = 2L * 1024 * 1024;

    private final FollowerCount count = new FollowerCount(USER_MAX, MAX);
    private final ScheduledExecutorService work = Executors.newScheduledThreadPool(2, Threads.daemon("stream-work"));

    /**
     * Whether the request asks to follow: {@code ?follow=true}; absent or {@code false} does not.
     *
     * @throws ApiException 400 for any other value
     */
    public static boolean follow(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("follow");
        if (values == null || values.isEmpty() || values.getFirst().equals("false")) {
            return false;
        }
        if (values.getFirst().equals("true")) {
            return true;
        }
        throw ApiException.badRequest("follow must be true or false");
    }

    /**
     * Answers the exchange with an event stream of {@code owner}'s: call it last in a route,
     * once every check that answers with a JSON error has passed.
     *
     * @throws ApiException 429 past the user's or the server's cap of open streams
     */
    public EventStream open(HttpServerExchange exchange, String owner) {
        switch (count.tryAcquire(owner)) {
            case USER -> throw ApiException.throttled("you have " + USER_MAX + " streams open already; close one first");
            case SERVER -> throw ApiException.throttled("this server has " + MAX + " streams open; try again later", 5);
            case NONE -> { }
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                count.release(owner);
            }
        };
        try {
            EventStream stream = EventStream.open(exchange, MAX_QUEUED_BYTES);
            stream.whenClosed(release);
            return stream;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /**
     * Runs {@code task} on the streams' threads (store reads and polls: never an IO thread, never a
     * route's worker) after {@code delayMillis}; its failure is logged. Once closed, does nothing.
     */
    public void later(long delayMillis, Runnable task) {
        try {
            work.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("a stream's background work failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("stopping: a stream's background work is dropped");
        }
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}
