package dev.hearth.controlplane.user;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.http.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.time.Clock;
import java.util.Map;

/** {@code POST /v1/users} (sign up): its bcrypt work goes through the same bound as logins. */
final class UserRoutes {

    static final int MAX_BODY = 4096;

    private final UserStore users;
    private final PasswordHashing hashing;
    private final ClientAddress clients;
    private final Clock clock;

    UserRoutes(UserStore users, PasswordHashing hashing, ClientAddress clients, Clock clock) {
        this.users = users;
        this.hashing = hashing;
        this.clients = clients;
        this.clock = clock;
    }

    void register(RoutingHandler routes) {
        routes.post("/v1/users", HttpServer.route(MAX_BODY, this::createUser));
    }

    private void createUser(HttpServerExchange exchange) throws Exception {
        Credentials credentials = Json.read(Exchanges.body(exchange, MAX_BODY), Credentials.class);
        credentials.validateNew();
        // A taken name costs no hashing.
        if (users.exists(credentials.username())
                || !users.create(credentials.username(), hashing.hash(clients.of(exchange), credentials.password()),
                        clock.instant())) {
            throw ApiException.conflict("username '" + credentials.username() + "' is taken");
        }
        Exchanges.sendJson(exchange, 201, Map.of("username", credentials.username()));
    }
}
