package dev.hearth.controlplane.http;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Undertow serving the routes each {@code XxxRoutes} class registers; unknown paths get JSON 404/405. */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final Undertow undertow;

    private HttpServer(Undertow undertow) {
        this.undertow = undertow;
    }

    public static HttpServer start(String bind, int port, int workerThreads, List<Consumer<RoutingHandler>> resources) {
        RoutingHandler routes = Handlers.routing();
        resources.forEach(r -> r.accept(routes));
        routes.setFallbackHandler(exchange ->
                Exchanges.sendError(exchange, 404, "not_found", "no such endpoint: " + exchange.getRequestPath(), Map.of()));
        routes.setInvalidMethodHandler(exchange ->
                Exchanges.sendError(exchange, 405, "method_not_allowed",
                        exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath(), Map.of()));
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, bind)
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(workerThreads)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                .setHandler(routes)
                .build();
        undertow.start();
        return new HttpServer(undertow);
    }

    /**
     * Runs a route on a worker thread (never an IO thread) in blocking mode. An
     * {@link ApiException} shows its status; anything else is logged with its stack trace and
     * shown to the caller as a bare 500.
     */
    public static HttpHandler route(Route route) {
        return new BlockingHandler(exchange -> {
            try {
                route.handle(exchange);
            } catch (ApiException e) {
                if (e.status() == 429) {
                    exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, "1");
                }
                Exchanges.sendError(exchange, e);
            } catch (Exception e) {
                log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
                if (!exchange.isResponseStarted()) {
                    Exchanges.sendError(exchange, 500, "internal", "internal error; the server log has details", Map.of());
                }
            }
        });
    }

    /** The port actually bound (useful when configured with port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
