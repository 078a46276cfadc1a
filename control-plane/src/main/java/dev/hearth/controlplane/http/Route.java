package dev.hearth.controlplane.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One REST endpoint's logic. {@link #handler} runs it on a worker thread (never an IO thread) in
 * blocking mode, and is the one place exceptions become JSON errors: an {@link ApiException}
 * shows its status; anything else is logged with its stack trace and shown as a bare 500.
 */
@FunctionalInterface
public interface Route {

    void handle(HttpServerExchange exchange) throws Exception;

    static HttpHandler handler(Route route) {
        return new BlockingHandler(exchange -> {
            try {
                route.handle(exchange);
            } catch (ApiException e) {
                Exchanges.sendError(exchange, e);
            } catch (Exception e) {
                Holder.log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
                if (!exchange.isResponseStarted()) {
                    Exchanges.sendError(exchange, 500, "internal", "internal error; the server log has details", Map.of());
                }
            }
        });
    }

    /** Interfaces cannot hold private fields. */
    final class Holder {
        private static final Logger log = LoggerFactory.getLogger(Route.class);

        private Holder() {}
    }
}
