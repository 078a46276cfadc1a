package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.http.Json;
import dev.hearth.controlplane.user.Authenticator;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /v1/functions/{name}/versions} and {@code .../aliases}: the caller's function's
 * immutable versions (list, read, delete one nothing needs) and its aliases (list, read, point
 * or repoint with weights, delete).
 */
public final class VersionRoutes {

    static final int MAX_ALIAS_BODY = 4096;

    private final Functions functions;
    private final Authenticator auth;

    public VersionRoutes(Functions functions, Authenticator auth) {
        this.functions = functions;
        this.auth = auth;
    }

    public void register(RoutingHandler routes) {
        routes.get("/v1/functions/{name}/versions", HttpServer.route(this::listVersions));
        routes.get("/v1/functions/{name}/versions/{version}", HttpServer.route(this::getVersion));
        routes.delete("/v1/functions/{name}/versions/{version}", HttpServer.route(this::deleteVersion));
        routes.get("/v1/functions/{name}/aliases", HttpServer.route(this::listAliases));
        routes.get("/v1/functions/{name}/aliases/{alias}", HttpServer.route(this::getAlias));
        routes.put("/v1/functions/{name}/aliases/{alias}", HttpServer.route(MAX_ALIAS_BODY, this::putAlias));
        routes.delete("/v1/functions/{name}/aliases/{alias}", HttpServer.route(this::deleteAlias));
    }

    private static String name(HttpServerExchange exchange) {
        return Exchanges.pathParam(exchange, "name");
    }

    private static long version(HttpServerExchange exchange) {
        String text = Exchanges.pathParam(exchange, "version");
        try {
            long version = Long.parseLong(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("a version is a number from 1, got '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
    }

    private void listVersions(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        var views = functions.versions().list(owner, name(exchange)).stream().map(Versions::view).toList();
        Exchanges.sendJson(exchange, 200, Map.of("versions", views));
    }

    private void getVersion(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        FunctionRecord version = functions.versions().get(owner, name(exchange), version(exchange));
        Map<String, Object> view = new LinkedHashMap<>(Versions.view(version));
        if (version.build() != null) {
            view.put("build", version.build().view());
        }
        Exchanges.sendJson(exchange, 200, view);
    }

    private void deleteVersion(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        functions.versions().delete(owner, name(exchange), version(exchange));
        Exchanges.noContent(exchange);
    }

    private void listAliases(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        var views = functions.aliases().list(owner, name(exchange)).stream().map(Alias::view).toList();
        Exchanges.sendJson(exchange, 200, Map.of("aliases", views));
    }

    private void getAlias(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        Exchanges.sendJson(exchange, 200, functions.aliases().get(owner, name(exchange), Exchanges.pathParam(exchange, "alias")).view());
    }

    private void putAlias(HttpServerExchange exchange) throws Exception {
        String owner = auth.require(exchange);
        Aliases.Request request = Json.read(Exchanges.body(exchange, MAX_ALIAS_BODY), Aliases.Request.class);
        Alias alias = functions.aliases().put(owner, name(exchange), Exchanges.pathParam(exchange, "alias"), request);
        Exchanges.sendJson(exchange, 200, alias.view());
    }

    private void deleteAlias(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        functions.aliases().delete(owner, name(exchange), Exchanges.pathParam(exchange, "alias"));
        Exchanges.noContent(exchange);
    }
}
