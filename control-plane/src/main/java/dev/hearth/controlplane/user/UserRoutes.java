package dev.hearth.controlplane.user;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Json;
import dev.hearth.controlplane.http.HttpServer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.Map;

/** {@code POST /v1/users} (sign up) and {@code POST /v1/tokens} (log in). */
public final class UserRoutes {

    private static final int MAX_BODY = 4096;

    private final UserStore users;

    public UserRoutes(UserStore users) {
        this.users = users;
    }

    public void register(RoutingHandler routes) {
        routes.post("/v1/users", HttpServer.route(MAX_BODY, this::createUser));
        routes.post("/v1/tokens", HttpServer.route(MAX_BODY, this::createToken));
    }

    private void createUser(HttpServerExchange exchange) throws Exception {
        Credentials credentials = Json.read(Exchanges.body(exchange, MAX_BODY), Credentials.class);
        credentials.validateNew();
        if (!users.create(credentials.username(), credentials.password())) {
            throw ApiException.conflict("username '" + credentials.username() + "' is taken");
        }
        Exchanges.sendJson(exchange, 201, Map.of("username", credentials.username()));
    }

    private void createToken(HttpServerExchange exchange) throws Exception {
        Credentials credentials = Json.read(Exchanges.body(exchange, MAX_BODY), Credentials.class);
        credentials.validatePresent();
        if (!users.verify(credentials.username(), credentials.password())) {
            throw ApiException.unauthorized("wrong username or password");
        }
        Exchanges.sendJson(exchange, 201, Map.of("token", users.issueToken(credentials.username())));
    }
}
