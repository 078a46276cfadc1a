package dev.hearth.controlplane.invocation;

import dev.hearth.controlplane.async.AsyncInvocations;
import dev.hearth.controlplane.async.AsyncStatus;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.user.Authenticator;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/invocations/{id}} (sync or async), {@code GET /v1/functions/{name}/invocations?limit=N}
 * and {@code GET /v1/functions/{name}/async?status=S&limit=N}; own invocations only.
 */
public final class InvocationRoutes {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final InvocationLog invocations;
    private final AsyncInvocations async;
    private final Functions functions;
    private final Authenticator auth;

    public InvocationRoutes(InvocationLog invocations, AsyncInvocations async, Functions functions, Authenticator auth) {
        this.invocations = invocations;
        this.async = async;
        this.functions = functions;
        this.auth = auth;
    }

    public void register(RoutingHandler routes) {
        routes.get("/v1/invocations/{id}", HttpServer.route(this::get));
        routes.get("/v1/functions/{name}/invocations", HttpServer.route(this::list));
        routes.get("/v1/functions/{name}/async", HttpServer.route(this::listAsync));
    }

    /** The function's async invocations, newest first; {@code ?status=dead-lettered} lists its dead letters. */
    private void listAsync(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        var function = functions.get(owner, Exchanges.pathParam(exchange, "name"));
        Deque<String> statuses = exchange.getQueryParameters().get("status");
        String asked = statuses == null || statuses.isEmpty() ? null : statuses.getFirst();
        AsyncStatus status = asked == null ? null : AsyncStatus.fromId(asked).orElseThrow(() -> ApiException.badRequest(
                "status must be one of " + String.join(", ", AsyncStatus.ids()) + ", got '" + asked + "'"));
        Exchanges.sendJson(exchange, 200, Map.of("invocations", async.list(function.id(), status, limit(exchange))));
    }

    private void get(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        String id = Exchanges.pathParam(exchange, "id");
        Optional<InvocationRecord> record = invocations.find(owner, id);
        if (record.isPresent()) {
            Exchanges.sendJson(exchange, 200, record.get().view());
            return;
        }
        Exchanges.sendJson(exchange, 200, async.find(owner, id)
                .orElseThrow(() -> ApiException.notFound("no invocation with id '" + id + "'")));
    }

    private void list(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        var function = functions.get(owner, Exchanges.pathParam(exchange, "name"));
        var views = invocations.recent(function.id(), filter(exchange), limit(exchange)).stream().map(InvocationRecord::view).toList();
        Exchanges.sendJson(exchange, 200, Map.of("invocations", views));
    }

    /** {@code ?version=N} and/or {@code ?alias=NAME}: only the invocations that ran that version, or came through that alias. */
    public static InvocationLog.Filter filter(HttpServerExchange exchange) {
        Deque<String> versions = exchange.getQueryParameters().get("version");
        Deque<String> aliases = exchange.getQueryParameters().get("alias");
        Long version = null;
        if (versions != null && !versions.isEmpty()) {
            try {
                version = Long.parseLong(versions.getFirst());
            } catch (NumberFormatException e) {
                version = 0L;
            }
            if (version < 1) {
                throw ApiException.badRequest("version must be a version number (1 or more)");
            }
        }
        String alias = aliases == null || aliases.isEmpty() ? null : aliases.getFirst();
        return new InvocationLog.Filter(version, alias);
    }

    public static int limit(HttpServerExchange exchange) {
        return Exchanges.intQuery(exchange, "limit", DEFAULT_LIMIT, MAX_LIMIT);
    }
}
