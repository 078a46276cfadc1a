package dev.hearth.controlplane.user;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How logins and tokens behave (README.md, "Configuration"; docs/security.md says why).
 *
 * @param tokenTtl        how long a token issued now stays valid
 * @param revocationCheck with a shared store, the longest a control plane goes without reading the
 *                        store's revocation counter; a revocation is answered only after this long
 * @param throttle        failed-login throttling
 * @param hashing         the bound on bcrypt work
 * @param trustedProxies  peers whose {@code X-Forwarded-For} names the client; empty: none
 */
public record AuthSettings(Duration tokenTtl, Duration revocationCheck, Throttle throttle, Hashing hashing,
                           Set<InetAddress> trustedProxies) {

    public AuthSettings {
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(revocationCheck, "revocationCheck");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(hashing, "hashing");
        trustedProxies = Set.copyOf(trustedProxies);
        if (tokenTtl.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("HEARTH_TOKEN_TTL_HOURS must be at least 1");
        }
        if (revocationCheck.toMillis() < 10 || revocationCheck.toMillis() > 10_000) {
            throw new IllegalArgumentException("HEARTH_TOKEN_CHECK_MS must be 10-10000, got " + revocationCheck.toMillis());
        }
    }

    /**
     * Failed logins cost growing delays: past {@code *FreeFailures} failures within the window,
     * each further one blocks its key for 1 s, 2 s, 4 s … up to {@code maxDelay}.
     *
     * @param pairFreeFailures    per (username, client address)
     * @param addressFreeFailures per client address, all usernames together
     * @param userFreeFailures    per username, all addresses together (addresses it logged in from are exempt)
     * @param window              failures are forgotten this long after the last one (and its block) ends
     */
    public record Throttle(int pairFreeFailures, int addressFreeFailures, int userFreeFailures, Duration maxDelay,
                           Duration window) {
        public Throttle {
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(window, "window");
            if (pairFreeFailures < 1 || addressFreeFailures < 1 || userFreeFailures < 1) {
                throw new IllegalArgumentException("HEARTH_LOGIN_*FREE_FAILURES must be at least 1");
            }
            if (maxDelay.toSeconds() < 1 || window.toMinutes() < 1) {
                throw new IllegalArgumentException("HEARTH_LOGIN_MAX_DELAY_SECONDS and HEARTH_LOGIN_WINDOW_MINUTES must be at least 1");
            }
        }
    }

    /**
     * bcrypt runs on {@code threads} threads of its own, so it never takes more of the CPU than
     * that; {@code queue} more requests may wait, and one client address holds at most
     * {@code perAddress} of those places. Past either, 429.
     */
    public record Hashing(int threads, int queue, int perAddress) {
        public Hashing {
            if (threads < 1 || queue < 0 || perAddress < 1) {
                throw new IllegalArgumentException("HEARTH_HASH_THREADS and HEARTH_HASH_PER_ADDRESS must be at least 1, "
                        + "HEARTH_HASH_QUEUE at least 0");
            }
        }

        /** Half the cores, at least one. */
        public static int defaultThreads() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
    }

    /** An IP literal for {@code HEARTH_TRUSTED_PROXIES}, parsed without a name lookup. */
    public static InetAddress ipLiteral(String text) {
        InetAddress address = ClientAddress.literal(text);
        if (address == null) {
            throw new IllegalArgumentException("HEARTH_TRUSTED_PROXIES takes IP addresses, got '" + text + "'");
        }
        return address;
    }
}
