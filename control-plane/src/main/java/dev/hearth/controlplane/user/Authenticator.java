package dev.hearth.controlplane.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.controlplane.http.ApiException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;
import java.util.Optional;

/**
 * Resolves {@code Authorization: Bearer <token>} to a username. Known tokens are cached briefly
 * so invocations do not touch the store; unknown ones are never cached.
 */
public final class Authenticator {

    private static final String PREFIX = "Bearer ";

    private final UserStore users;
    private final Cache<String, String> owners = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(60))
            .build();

    public Authenticator(UserStore users) {
        this.users = users;
    }

    /** The caller's username, or a 401 naming what is wrong. */
    public String require(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null) {
            throw ApiException.unauthorized("missing 'Authorization: Bearer <token>' header; POST /v1/tokens issues one");
        }
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
            throw ApiException.unauthorized("Authorization header must be 'Bearer <token>'");
        }
        String hash = UserStore.hash(header.substring(PREFIX.length()).trim());
        String cached = owners.getIfPresent(hash);
        if (cached != null) {
            return cached;
        }
        Optional<String> owner = users.tokenOwner(hash);
        owner.ifPresent(name -> owners.put(hash, name));
        return owner.orElseThrow(() -> ApiException.unauthorized("invalid token"));
    }
}
