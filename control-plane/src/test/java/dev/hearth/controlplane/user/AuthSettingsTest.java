package dev.hearth.controlplane.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.HearthConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

    @Test
    void defaults_matchTheReadme() {
        AuthSettings auth = HearthConfig.fromEnv(Map.of()).auth();
        assertEquals(Duration.ofHours(720), auth.tokenTtl());
        assertEquals(Duration.ofMillis(250), auth.revocationCheck());
        assertEquals(new AuthSettings.Throttle(5, 20, 20, Duration.ofSeconds(900), Duration.ofMinutes(15)), auth.throttle());
        assertEquals(new AuthSettings.Hashing(AuthSettings.Hashing.defaultThreads(), 16, 2), auth.hashing());
        assertTrue(auth.trustedProxies().isEmpty(), "X-Forwarded-For is trusted from nobody by default");
    }

    @Test
    void trustedProxies_areIpLiteralsOnly() {
        AuthSettings auth = HearthConfig.fromEnv(Map.of("HEARTH_TRUSTED_PROXIES", "10.0.0.2, ::1")).auth();
        assertEquals(Set.of(ClientAddress.literal("10.0.0.2"), ClientAddress.literal("::1")), auth.trustedProxies());
        assertThrows(IllegalArgumentException.class,
                () -> HearthConfig.fromEnv(Map.of("HEARTH_TRUSTED_PROXIES", "proxy.internal")));
    }

    @Test
    void nonsense_isRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_TOKEN_TTL_HOURS", "0")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_TOKEN_CHECK_MS", "5")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_HASH_THREADS", "0")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_LOGIN_FREE_FAILURES", "0")));
    }
}
