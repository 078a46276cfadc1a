package dev.hearth.controlplane.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP listener: how many threads run routes, and how long a client may take. Bodies are
 * read on the IO threads without blocking, so a slow client holds a connection (counted in
 * {@code maxConnections}) and never a worker.
 *
 * @param workerThreads  threads that run routes, once a request's body has arrived
 * @param maxConnections connections open at once; past it new ones wait in the accept backlog
 * @param parseTimeout   a request's line and headers must arrive within this, else the connection is closed
 * @param idleTimeout    a connection waiting for its next request is closed after this
 * @param bodyTimeout    a request's whole body must arrive within this of its headers, else 408
 * @param bodyBufferBytes request bodies buffered at once, all connections together; past it 503
 */
public record HttpSettings(int workerThreads, int maxConnections, Duration parseTimeout, Duration idleTimeout,
                           Duration bodyTimeout, long bodyBufferBytes) {
    public HttpSettings {
        Objects.requireNonNull(parseTimeout, "parseTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (workerThreads < 1 || maxConnections < 1 || bodyBufferBytes < 1
                || !positive(parseTimeout) || !positive(idleTimeout) || !positive(bodyTimeout)) {
            throw new IllegalArgumentException("HEARTH_WORKER_THREADS, HEARTH_HTTP_MAX_CONNECTIONS, HEARTH_HTTP_BODY_BUFFER_MB"
                    + " and the HEARTH_HTTP_*_TIMEOUT_SECONDS must be positive");
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** The same bounds with another number of worker threads (a pool-manager node serves only its health). */
    public HttpSettings withWorkerThreads(int threads) {
        return new HttpSettings(threads, maxConnections, parseTimeout, idleTimeout, bodyTimeout, bodyBufferBytes);
    }
}
