package dev.hearth.controlplane.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.http.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code POST /v1/tokens} (log in), {@code GET /v1/tokens}, {@code DELETE /v1/tokens/{id}}. */
final class TokenRoutes {

    private static final Pattern ID = Pattern.compile("tok_[0-9a-f]{20}");

    /** A token as its owner sees it listed: never the secret or its hash. */
    record TokenInfo(String id, Instant created, @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastUsed,
                     Instant expiresAt) {}

    private final UserStore users;
    private final Tokens tokens;
    private final Authenticator auth;
    private final PasswordHashing hashing;
    private final LoginThrottle throttle;
    private final ClientAddress clients;
    private final Duration ttl;
    private final Clock clock;

    TokenRoutes(UserStore users, Tokens tokens, Authenticator auth, PasswordHashing hashing, LoginThrottle throttle,
                ClientAddress clients, Duration ttl, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.auth = auth;
        this.hashing = hashing;
        this.throttle = throttle;
        this.clients = clients;
        this.ttl = ttl;
        this.clock = clock;
    }

    void register(RoutingHandler routes) {
        routes.post("/v1/tokens", HttpServer.route(UserRoutes.MAX_BODY, this::logIn));
        routes.get("/v1/tokens", HttpServer.route(this::list));
        routes.delete("/v1/tokens/{id}", HttpServer.route(this::revoke));
    }

    private void logIn(HttpServerExchange exchange) throws Exception {
        Credentials credentials = Json.read(Exchanges.body(exchange, UserRoutes.MAX_BODY), Credentials.class);
        credentials.validateLogin();
        if (!credentials.plausibleUsername()) {
            throw ApiException.unauthorized("wrong username or password");
        }
        String username = credentials.username();
        String client = clients.of(exchange);
        // Checked before the password, so a right password is refused too while blocked, and costs no hashing.
        long wait = throttle.retryAfterSeconds(username, client);
        if (wait > 0) {
            throw new RetryLater(wait, "too many failed logins; try again in " + wait + " s");
        }
        String stored = users.passwordHash(username).orElse(null);
        if (!hashing.matches(client, credentials.password(), stored)) {
            throttle.failed(username, client);
            throw ApiException.unauthorized("wrong username or password");
        }
        throttle.succeeded(username, client);
        Tokens.Issued issued = tokens.issue(username, clock.instant(), ttl);
        Exchanges.sendJson(exchange, 201, Map.of("token", issued.token(), "id", issued.id(),
                "expiresAt", issued.expiresAt().toString()));
    }

    private void list(HttpServerExchange exchange) {
        String username = auth.require(exchange);
        tokens.touch(auth.drainLastUsed()); // this control plane's recent uses, so the list is current here
        List<TokenInfo> list = tokens.list(username, clock.instant()).stream()
                .map(t -> new TokenInfo(t.id(), t.created(), t.lastUsed(), t.expiresAt())).toList();
        Exchanges.sendJson(exchange, 200, Map.of("tokens", list));
    }

    private void revoke(HttpServerExchange exchange) throws InterruptedException {
        String username = auth.require(exchange);
        String id = Exchanges.pathParam(exchange, "id");
        Optional<Tokens.Revoked> revoked = id != null && ID.matcher(id).matches()
                ? tokens.revoke(username, id, clock.instant()) : Optional.empty();
        if (revoked.isEmpty()) {
            throw ApiException.notFound("you have no token with that id");
        }
        auth.revokedHere(revoked.get().hash(), revoked.get().version());
        // Not a test hook: the answer waits out the other control planes' longest gap between
        // counter reads, so when the caller sees 204 the token is refused everywhere.
        Thread.sleep(auth.propagation().toMillis());
        Exchanges.noContent(exchange);
    }
}
