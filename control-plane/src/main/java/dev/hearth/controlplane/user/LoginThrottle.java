package dev.hearth.controlplane.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Growing delays after failed logins, on three keys. (username, address) is the tight one: it
 * stops one client guessing one account. The address key stops one client spraying many
 * accounts, and the username key many clients sharing the guesses at one account. The two wide
 * keys spare an address the username has logged in from before (its owner's usual place), so
 * an attacker failing a victim's username from elsewhere cannot lock the victim out, and a
 * neighbour behind the same NAT cannot lock out the users who log in there.
 *
 * <p>State is in memory, per control plane: behind a balancer over k control planes a guesser
 * gets at most k times the budget. Time is Caffeine's {@link Ticker}, so tests need no sleeps.
 */
final class LoginThrottle {

    private static final int MAX_KEYS = 100_000;
    private static final long BASE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a successful login keeps an address known for its username. */
    private static final Duration KNOWN_FOR = Duration.ofDays(30);

    /** Failures of one key in the current window, and until when it is blocked. */
    private record Failures(int count, long blockedUntil) {}

    private final AuthSettings.Throttle settings;
    private final Ticker ticker;
    private final Cache<String, Failures> pairs;
    private final Cache<String, Failures> addresses;
    private final Cache<String, Failures> users;
    private final Cache<String, Boolean> known;

    LoginThrottle(AuthSettings.Throttle settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
        this.pairs = failures();
        this.addresses = failures();
        this.users = failures();
        this.known = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_KEYS).expireAfterWrite(KNOWN_FOR).build();
    }

    /** Seconds until this username may try a password from this client again; 0 when it may now. */
    long retryAfterSeconds(String username, String client) {
        long now = ticker.read();
        long until = blockedUntil(pairs, pair(username, client));
        if (known.getIfPresent(pair(username, client)) == null) {
            until = Math.max(until, Math.max(blockedUntil(addresses, client), blockedUntil(users, username)));
        }
        return until <= now ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(until - now + 999_999_999L));
    }

    void failed(String username, String client) {
        String pair = pair(username, client);
        record(pairs, pair, settings.pairFreeFailures());
        if (known.getIfPresent(pair) == null) {
            record(addresses, client, settings.addressFreeFailures());
            record(users, username, settings.userFreeFailures());
        }
    }

    /**
     * The pair starts afresh and the address becomes known for the username. The wide keys keep
     * their counts: a login by the account's owner must not give a distributed guesser new tries.
     */
    void succeeded(String username, String client) {
        String pair = pair(username, client);
        pairs.invalidate(pair);
        known.put(pair, Boolean.TRUE);
    }

    private void record(Cache<String, Failures> cache, String key, int free) {
        long now = ticker.read();
        cache.asMap().compute(key, (k, old) -> {
            int count = old == null ? 1 : old.count() + 1;
            long blockedUntil = old == null ? now : old.blockedUntil();
            if (count > free) {
                int doublings = Math.min(30, count - free - 1);
                long delay = Math.min(settings.maxDelay().toNanos(), BASE_DELAY_NANOS << doublings);
                blockedUntil = now + delay;
            }
            return new Failures(count, blockedUntil);
        });
    }

    private long blockedUntil(Cache<String, Failures> cache, String key) {
        Failures failures = cache.getIfPresent(key);
        return failures == null ? Long.MIN_VALUE : failures.blockedUntil();
    }

    private static String pair(String username, String client) {
        return username + '\n' + client;
    }

    /** A key lives until its block ends and a whole window has passed without a failure. */
    private Cache<String, Failures> failures() {
        long window = settings.window().toNanos();
        return Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_KEYS).expireAfter(new Expiry<String, Failures>() {
            @Override
            public long expireAfterCreate(String key, Failures value, long currentTime) {
                return window + Math.max(0, value.blockedUntil() - currentTime);
            }

            @Override
            public long expireAfterUpdate(String key, Failures value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(String key, Failures value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
    }
}
