package dev.hearth.controlplane.stream;

import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.invocation.InvocationLog;
import dev.hearth.controlplane.invocation.InvocationRoutes;
import dev.hearth.controlplane.user.Authenticator;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.Deque;
import java.util.Map;

/**
 * {@code GET /v1/functions/{name}/logs}: the lines of the function's newest invocations
 * ({@code ?limit=N}, 1 to 100, default 20; {@code ?version=} and {@code ?alias=} as on
 * {@code …/invocations}), oldest first; with {@code ?follow=true} an event stream of the last
 * {@code ?tail=N} invocations' lines (0 to 100, default 0) and then of every new one's
 * ({@link LogFollowing}). Own functions only.
 */
public final class LogRoutes {

    public static final int MAX_TAIL = 100;

    private final Functions functions;
    private final LogFollowing following;
    private final Authenticator auth;

    public LogRoutes(Functions functions, LogFollowing following, Authenticator auth) {
        this.functions = functions;
        this.following = following;
        this.auth = auth;
    }

    public void register(RoutingHandler routes) {
        routes.get("/v1/functions/{name}/logs", HttpServer.route(this::logs));
    }

    private void logs(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        FunctionRecord function = functions.get(owner, Exchanges.pathParam(exchange, "name"));
        InvocationLog.Filter filter = InvocationRoutes.filter(exchange);
        if (Streams.follow(exchange)) {
            following.follow(exchange, owner, function, filter, tail(exchange));
            return;
        }
        Exchanges.sendJson(exchange, 200, Map.of("lines", following.history(function.id(), filter, InvocationRoutes.limit(exchange))));
    }

    static int tail(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("tail");
        if (values == null || values.isEmpty()) {
            return 0;
        }
        try {
            int tail = Integer.parseInt(values.getFirst());
            if (tail >= 0 && tail <= MAX_TAIL) {
                return tail;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("tail must be an integer from 0 to " + MAX_TAIL);
    }
}
