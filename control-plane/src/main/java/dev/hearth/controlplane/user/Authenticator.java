package dev.hearth.controlplane.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.hearth.controlplane.http.ApiException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code Authorization: Bearer <token>} to a username without a store read on a warm
 * call. Known tokens are cached with their expiry, checked on every call. Revocations reach the
 * cache through the store's revocation counter: with a store shared by several control planes
 * the counter is read at most {@code revocationCheck} apart (in the background, or on the call
 * when the background has fallen behind), and a revocation is answered only after that long, so
 * once the caller sees its 204 no control plane accepts the token. With the embedded store this
 * process is the only control plane and revocations apply here directly.
 *
 * <p>A cached entry carries the counter read before its store lookup; a token revoked under a
 * later count is looked up again, which closes the race of a lookup that read the token just
 * before it was deleted. A count whose log entry is not yet visible drops the whole cache.
 */
public final class Authenticator {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Authenticator.class);
    private static final String PREFIX = "Bearer ";
    /** Backstop for a token deleted from the store by hand, bypassing the counter. */
    private static final Duration ENTRY_MAX_AGE = Duration.ofSeconds(60);

    private record Entry(String owner, Instant expiresAt, long version, long generation) {}

    /** The counter as last read, and when that read started (ticker nanos). */
    private record Seen(long version, long readStarted) {}

    private final Tokens tokens;
    private final Clock clock;
    private final Ticker ticker;
    private final boolean shared;
    private final long checkNanos;
    private final Cache<String, Entry> owners;
    /** Revoked hashes and the count they were revoked under; kept longer than any lookup takes. */
    private final Cache<String, Long> revoked;
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    private final Object refreshing = new Object();
    private volatile Seen seen;
    private volatile long generation;

    Authenticator(Tokens tokens, Clock clock, Ticker ticker, boolean sharedStore, Duration revocationCheck) {
        this.tokens = tokens;
        this.clock = clock;
        this.ticker = ticker;
        this.shared = sharedStore;
        this.checkNanos = revocationCheck.toNanos();
        this.owners = Caffeine.newBuilder().ticker(ticker).maximumSize(10_000).expireAfterWrite(ENTRY_MAX_AGE).build();
        this.revoked = Caffeine.newBuilder().ticker(ticker).maximumSize(100_000).expireAfterWrite(Tokens.LOG_KEPT).build();
        long start = ticker.read();
        this.seen = new Seen(tokens.revocationVersion(), start);
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
        return owner(Tokens.hash(header.substring(PREFIX.length()).trim()));
    }

    String owner(String hash) {
        try {
            return lookup(hash);
        } catch (com.mongodb.MongoException e) {
            log.warn("cannot check a token: {}", e.getMessage());
            throw ApiException.unavailable("tokens cannot be checked right now; try again shortly");
        }
    }

    private String lookup(String hash) {
        long version = version();
        long gen = generation;
        Entry entry = owners.getIfPresent(hash);
        if (entry == null || entry.generation() != gen || revokedAfter(hash, entry.version())) {
            Optional<Tokens.Token> token = tokens.find(hash);
            if (token.isEmpty()) {
                owners.invalidate(hash);
                throw ApiException.unauthorized("invalid token");
            }
            entry = new Entry(token.get().username(), token.get().expiresAt(), version, gen);
            owners.put(hash, entry);
        }
        Instant now = clock.instant();
        if (!now.isBefore(entry.expiresAt())) {
            throw ApiException.unauthorized("token expired; POST /v1/tokens issues a new one");
        }
        lastUsed.put(hash, now);
        return entry.owner();
    }

    /** This process revoked the token under {@code version}: it is refused here from now on. */
    void revokedHere(String hash, long version) {
        revoked.put(hash, version);
        owners.invalidate(hash);
    }

    /** How long a revocation must wait before its answer, so every control plane has seen it. */
    Duration propagation() {
        // The margin covers scheduling between the counter's write and the start of the wait.
        return shared ? Duration.ofNanos(checkNanos + checkNanos / 10).plusMillis(20) : Duration.ZERO;
    }

    /** Reads the counter if the last read is older than half the check interval; run in the background. */
    void refreshSoon() {
        if (shared && ticker.read() - seen.readStarted() > checkNanos / 2) {
            refresh();
        }
    }

    /** The last-use times gathered since the previous call, for the store. */
    Map<String, Instant> drainLastUsed() {
        Map<String, Instant> drained = new java.util.HashMap<>();
        for (String hash : lastUsed.keySet()) {
            Instant at = lastUsed.remove(hash);
            if (at != null) {
                drained.put(hash, at);
            }
        }
        return drained;
    }

    private boolean revokedAfter(String hash, long version) {
        Long at = revoked.getIfPresent(hash);
        return at != null && at > version;
    }

    private long version() {
        if (!shared) {
            return 0;
        }
        Seen current = seen;
        return ticker.read() - current.readStarted() <= checkNanos ? current.version() : refresh();
    }

    private long refresh() {
        synchronized (refreshing) {
            Seen current = seen;
            if (ticker.read() - current.readStarted() <= checkNanos / 2) {
                return current.version();
            }
            long started = ticker.read();
            long version = tokens.revocationVersion();
            if (version > current.version()) {
                Map<Long, String> log = tokens.revokedBetween(current.version(), version);
                if (log.size() == version - current.version()) {
                    log.forEach((count, hash) -> revokedHere(hash, count));
                } else {
                    // A revocation whose log entry is not visible yet: forget every cached token.
                    generation++;
                    owners.invalidateAll();
                }
            }
            seen = new Seen(version, started);
            return version;
        }
    }
}
