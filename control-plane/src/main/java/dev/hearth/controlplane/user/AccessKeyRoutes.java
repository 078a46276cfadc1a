package dev.hearth.controlplane.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/access-keys} (a new key for the caller, its secret shown once),
 * {@code GET /v1/access-keys} (ids, creation and last use; never secrets),
 * {@code DELETE /v1/access-keys/{id}} (revoked at once): all with the caller's bearer token.
 */
public final class AccessKeyRoutes {

    /** A key as listed: {@code lastUsed} is null until first used, and may lag by a minute. */
    record KeyInfo(String accessKeyId, Instant created, @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastUsed) {}

    private final AccessKeys keys;
    private final Authenticator auth;

    public AccessKeyRoutes(AccessKeys keys, Authenticator auth) {
        this.keys = keys;
        this.auth = auth;
    }

    public void register(RoutingHandler routes) {
        routes.post("/v1/access-keys", HttpServer.route(this::issue));
        routes.get("/v1/access-keys", HttpServer.route(this::list));
        routes.delete("/v1/access-keys/{id}", HttpServer.route(this::revoke));
    }

    private void issue(HttpServerExchange exchange) {
        String username = auth.require(exchange);
        AccessKeys.Issued issued = keys.issue(username).orElseThrow(() -> ApiException.quotaExceeded(
                "you hold " + AccessKeys.MAX_PER_USER + " access keys already; DELETE /v1/access-keys/{id} one first"));
        Exchanges.sendJson(exchange, 201, Map.of("accessKeyId", issued.accessKeyId(),
                "secretAccessKey", issued.secretAccessKey(), "created", issued.created().toString()));
    }

    private void list(HttpServerExchange exchange) {
        String username = auth.require(exchange);
        List<KeyInfo> list = keys.list(username).stream()
                .map(k -> new KeyInfo(k.accessKeyId(), k.created(), k.lastUsed())).toList();
        Exchanges.sendJson(exchange, 200, Map.of("accessKeys", list));
    }

    private void revoke(HttpServerExchange exchange) {
        String username = auth.require(exchange);
        String id = Exchanges.pathParam(exchange, "id");
        if (!AccessKeys.isWellFormed(id) || !keys.revoke(username, id)) {
            throw ApiException.notFound("you have no access key with that id");
        }
        Exchanges.noContent(exchange);
    }
}
