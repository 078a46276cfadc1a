package dev.hearth.controlplane.user;

import com.github.benmanes.caffeine.cache.Ticker;
import com.mongodb.client.MongoDatabase;
import dev.hearth.poolmanager.support.Threads;
import io.undertow.server.RoutingHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and tokens, wired: the account and token routes, the {@link Authenticator} every other
 * route asks, and the background chores (revocation counter reads, batched last-use writes,
 * the purge of expired tokens).
 */
public final class Accounts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    static final Duration LAST_USED_EVERY = Duration.ofSeconds(30);
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final Tokens tokens;
    private final Authenticator authenticator;
    private final PasswordHashing hashing;
    private final UserRoutes userRoutes;
    private final TokenRoutes tokenRoutes;
    private final ScheduledExecutorService chores;
    private final Clock clock;

    private Accounts(MongoDatabase database, AuthSettings settings, boolean sharedStore, Clock clock, Ticker ticker) {
        this.clock = clock;
        this.tokens = new Tokens(database);
        tokens.upgradeOld(settings.tokenTtl(), clock.instant());
        this.authenticator = new Authenticator(tokens, clock, ticker, sharedStore, settings.revocationCheck());
        this.hashing = new PasswordHashing(settings.hashing());
        var users = new UserStore(database);
        var clients = new ClientAddress(settings.trustedProxies());
        this.userRoutes = new UserRoutes(users, hashing, clients, clock);
        this.tokenRoutes = new TokenRoutes(users, tokens, authenticator, hashing,
                new LoginThrottle(settings.throttle(), ticker), clients, settings.tokenTtl(), clock);
        this.chores = Executors.newSingleThreadScheduledExecutor(runnable -> Threads.daemonThread("hearth-tokens", runnable));
        if (sharedStore) {
            long every = Math.max(1, settings.revocationCheck().toMillis() / 4);
            chores.scheduleWithFixedDelay(() -> chore("read the revocation counter", authenticator::refreshSoon),
                    every, every, TimeUnit.MILLISECONDS);
        }
        chores.scheduleWithFixedDelay(() -> chore("write tokens' last use", this::writeLastUsed),
                LAST_USED_EVERY.toSeconds(), LAST_USED_EVERY.toSeconds(), TimeUnit.SECONDS);
        chores.scheduleWithFixedDelay(() -> chore("purge expired tokens", this::purge),
                0, PURGE_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * @param sharedStore true when other control planes may use the same store (a MongoDB URI),
     *                    so revocations must reach them through it
     */
    public static Accounts start(MongoDatabase database, AuthSettings settings, boolean sharedStore, Clock clock) {
        return new Accounts(database, settings, sharedStore, clock, Ticker.systemTicker());
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public void register(RoutingHandler routes) {
        userRoutes.register(routes);
        tokenRoutes.register(routes);
    }

    private void writeLastUsed() {
        tokens.touch(authenticator.drainLastUsed());
    }

    private void purge() {
        long purged = tokens.purge(clock.instant());
        if (purged > 0) {
            log.info("purged {} expired tokens", purged);
        }
    }

    /** A chore that fails is logged and tried again at its next turn; an exception must not end its schedule. */
    private static void chore(String what, Runnable chore) {
        try {
            chore.run();
        } catch (RuntimeException e) {
            log.warn("could not {}: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() {
        chores.shutdownNow();
        chore("write tokens' last use", this::writeLastUsed);
        hashing.close();
    }
}
