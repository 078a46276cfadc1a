package dev.hearth.controlplane.route;

import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.http.Json;
import dev.hearth.controlplane.user.Authenticator;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.util.Map;

/**
 * {@code /v1/routes} (the caller's routes: create, list, delete) and
 * {@code /v1/functions/{name}/url} (the function's URL: create or change, read, delete).
 */
public final class RouteApi {

    static final int MAX_BODY = 8192;

    private final Routes routes;
    private final Authenticator auth;

    public RouteApi(Routes routes, Authenticator auth) {
        this.routes = routes;
        this.auth = auth;
    }

    public void register(RoutingHandler handler) {
        handler.post("/v1/routes", HttpServer.route(MAX_BODY, this::create));
        handler.get("/v1/routes", HttpServer.route(this::list));
        handler.delete("/v1/routes/{id}", HttpServer.route(this::delete));
        handler.put("/v1/functions/{name}/url", HttpServer.route(MAX_BODY, this::putUrl));
        handler.get("/v1/functions/{name}/url", HttpServer.route(this::getUrl));
        handler.delete("/v1/functions/{name}/url", HttpServer.route(this::deleteUrl));
    }

    private void create(HttpServerExchange exchange) throws Exception {
        String owner = auth.require(exchange);
        Routes.NewRoute request = Json.read(Exchanges.body(exchange, MAX_BODY), Routes.NewRoute.class);
        Exchanges.sendJson(exchange, 201, routes.create(owner, request).view());
    }

    private void list(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        Exchanges.sendJson(exchange, 200, Map.of("routes", routes.list(owner).stream().map(HttpRoute::view).toList()));
    }

    private void delete(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        routes.delete(owner, Exchanges.pathParam(exchange, "id"));
        Exchanges.noContent(exchange);
    }

    private void putUrl(HttpServerExchange exchange) throws Exception {
        String owner = auth.require(exchange);
        Routes.NewUrl request = Json.read(Exchanges.body(exchange, MAX_BODY), Routes.NewUrl.class);
        FunctionUrl url = routes.putUrl(owner, Exchanges.pathParam(exchange, "name"), request);
        Exchanges.sendJson(exchange, 200, url.view(base(exchange)));
    }

    private void getUrl(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        Exchanges.sendJson(exchange, 200, routes.url(owner, Exchanges.pathParam(exchange, "name")).view(base(exchange)));
    }

    private void deleteUrl(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        routes.deleteUrl(owner, Exchanges.pathParam(exchange, "name"));
        Exchanges.noContent(exchange);
    }

    /** {@code http://host[:port]} as the caller reached this server. */
    static String base(HttpServerExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,260}")) {
            host = exchange.getHostAndPort();
        }
        return exchange.getRequestScheme() + "://" + host;
    }
}
