package dev.hearth.controlplane.user;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Route;
import io.undertow.util.Headers;

/** A 429 that says, in {@code Retry-After}, how many seconds the caller must wait. */
final class RetryLater extends ApiException {

    private final long seconds;

    RetryLater(long seconds, String message) {
        super(429, "throttled", message);
        this.seconds = Math.max(1, seconds);
    }

    long seconds() {
        return seconds;
    }

    /** Answers a {@link RetryLater} here, with its own {@code Retry-After} (the shared mapper always says 1). */
    static Route answering(Route route) {
        return exchange -> {
            try {
                route.handle(exchange);
            } catch (RetryLater e) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(e.seconds()));
                Exchanges.sendError(exchange, e);
            }
        };
    }
}
