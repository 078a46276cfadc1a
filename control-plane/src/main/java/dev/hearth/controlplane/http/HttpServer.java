package dev.hearth.controlplane.http;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.AttachmentKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * Undertow serving the routes each {@code XxxRoutes} class registers; unknown paths get JSON 404/405.
 * Every route's body is read on the IO threads first (see {@link BodyReader}), under the limit the
 * route was registered with, and only then does the route get a worker thread.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** The body limit of a route registered without one: routes that read no body. */
    public static final long DEFAULT_BODY_LIMIT = 64 * 1024;

    /** What a route's handler needs from the server it runs in, attached to each exchange by the root handler. */
    private record Context(Duration bodyTimeout, BodyBudget budget) {}

    private static final AttachmentKey<Context> CONTEXT = AttachmentKey.create(Context.class);

    private final Undertow undertow;

    private HttpServer(Undertow undertow) {
        this.undertow = undertow;
    }

    public static HttpServer start(String bind, int port, HttpSettings http, List<Consumer<RoutingHandler>> resources) {
        RoutingHandler routes = Handlers.routing();
        // A resource may replace the fallback (public routes serve every path no API route takes).
        routes.setFallbackHandler(route(exchange ->
                Exchanges.sendError(exchange, 404, "not_found", "no such endpoint: " + exchange.getRequestPath(), Map.of())));
        resources.forEach(r -> r.accept(routes));
        routes.setInvalidMethodHandler(route(exchange ->
                Exchanges.sendError(exchange, 405, "method_not_allowed",
                        exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath(), Map.of())));
        var context = new Context(http.bodyTimeout(), new BodyBudget(http.bodyBufferBytes()));
        // 100 Continue goes out only when a body is first read, so a body refused on its declared
        // length (413) is never sent at all by a client that waits for it.
        HttpHandler root = Handlers.httpContinueRead(exchange -> {
            exchange.putAttachment(CONTEXT, context);
            routes.handleRequest(exchange);
        });
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, bind)
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(http.workerThreads())
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                // No cap of Undertow's own: every request reaches a route, and BodyReader counts
                // each body against its route's limit. (Undertow fixes a chunked body's cap when
                // the request is set up, before any route is known, and counts chunk framing in it.)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(http.parseTimeout()))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(http.idleTimeout()))
                .setSocketOption(Options.CONNECTION_HIGH_WATER, http.maxConnections())
                .setSocketOption(Options.CONNECTION_LOW_WATER, http.maxConnections())
                .setHandler(root)
                .build();
        undertow.start();
        return new HttpServer(undertow);
    }

    /** A route that reads no body (one of at most {@link #DEFAULT_BODY_LIMIT} bytes is accepted and ignored). */
    public static HttpHandler route(Route route) {
        return route(DEFAULT_BODY_LIMIT, route);
    }

    /**
     * A route whose body, at most {@code bodyLimit} bytes (413 past it, declared or chunked), is
     * read before the route runs on a worker thread; {@link Exchanges#body} hands it over. An
     * {@link ApiException} shows its status; anything else is logged with its stack trace and
     * shown to the caller as a bare 500.
     */
    public static HttpHandler route(long bodyLimit, Route route) {
        if (bodyLimit < 1) {
            throw new IllegalArgumentException("bodyLimit must be positive");
        }
        HttpHandler run = exchange -> run(exchange, route);
        return exchange -> {
            Context context = exchange.getAttachment(CONTEXT);
            BodyReader.read(exchange, bodyLimit, context.bodyTimeout(), context.budget(), (ex, body) -> {
                ex.putAttachment(Exchanges.BODY, body);
                ex.dispatch(run);
            });
        };
    }

    private static void run(HttpServerExchange exchange, Route route) {
        try {
            route.handle(exchange);
        } catch (ApiException e) {
            if (e.retryAfterSeconds() > 0) {
                exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            }
            Exchanges.sendError(exchange, e);
        } catch (Exception e) {
            log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
            if (!exchange.isResponseStarted()) {
                Exchanges.sendError(exchange, 500, "internal", "internal error; the server log has details", Map.of());
            }
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
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
