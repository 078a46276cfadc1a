package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.http.HttpSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.image.Registry;
import dev.hearth.poolmanager.docker.EgressSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HearthConfigTest {

    @Test
    void defaults_matchTheReadme() {
        HearthConfig config = HearthConfig.fromEnv(Map.of());
        assertEquals(8080, config.port());
        assertEquals("127.0.0.1", config.bind());
        assertEquals(Path.of("data").toAbsolutePath(), config.dataDir());
        assertNull(config.mongoUri());
        assertEquals("local", config.pool().nodeId());
        assertEquals(3, config.pool().runtimes().get(Language.PYTHON).poolSize());
        assertEquals("hearth/runtime-python:latest", config.pool().runtimes().get(Language.PYTHON).image());
        assertEquals(Duration.ofMinutes(5), config.pool().idleTimeout());
        assertEquals(1_000_000_000L, config.pool().nanoCpus());
        assertEquals(config.dataDir().resolve("run"), config.pool().runDir());
        assertTrue(config.pool().maxMemoryMb() > config.pool().poolMemoryMb(), "a memory budget from the machine's size");
        assertEquals(Duration.ofMinutes(10), config.pool().code().grace());
        assertEquals(2048L * 1024 * 1024, config.pool().code().maxBytes());
        assertEquals(Duration.ofMinutes(10), config.storage().codeGrace());
        assertEquals(100, config.storage().userMaxFunctions());
        assertEquals(1024L * 1024 * 1024, config.storage().userMaxCodeBytes());
    }

    @Test
    void java25_hasItsOwnImageAndPool_noneWaitingByDefault() {
        var runtimes = HearthConfig.fromEnv(Map.of()).pool().runtimes();
        assertEquals("hearth/runtime-java25:latest", runtimes.get(Language.JAVA25).image());
        assertEquals(0, runtimes.get(Language.JAVA25).poolSize(), "its first calls start cold");
        assertEquals("hearth/runtime-java:latest", runtimes.get(Language.JAVA).image());
        assertEquals(3, runtimes.get(Language.JAVA).poolSize());

        var set = HearthConfig.fromEnv(Map.of("HEARTH_POOL_JAVA25", "2", "HEARTH_POOL_JAVA", "1",
                "HEARTH_IMAGE_JAVA25", "example/jdk25:1")).pool().runtimes();
        assertEquals(2, set.get(Language.JAVA25).poolSize());
        assertEquals(1, set.get(Language.JAVA).poolSize(), "each JVM runtime has a pool of its own");
        assertEquals("example/jdk25:1", set.get(Language.JAVA25).image());
    }

    @Test
    void poolSizing_defaults_andOverrides() {
        var pool = HearthConfig.fromEnv(Map.of()).pool();
        assertEquals(30, pool.runtimes().get(Language.PYTHON).maxPoolSize(), "10 times the floor of 3");
        assertEquals(0, pool.runtimes().get(Language.JAVA25).maxPoolSize(), "a pool of 0 stays empty");
        assertEquals(java.time.Duration.ofSeconds(20), pool.sizing().window());
        assertEquals(2.0, pool.sizing().headroom());
        assertEquals(4, pool.sizing().startConcurrency());
        assertEquals(2, pool.sizing().shrinkPerSecond());
        assertEquals(32, HearthConfig.fromEnv(Map.of("HEARTH_POOL_PYTHON", "8")).pool().runtimes().get(Language.PYTHON).maxPoolSize(),
                "at most 32 by default");
        assertEquals(40, HearthConfig.fromEnv(Map.of("HEARTH_POOL_PYTHON", "40")).pool().runtimes().get(Language.PYTHON).maxPoolSize(),
                "never below the floor");

        var set = HearthConfig.fromEnv(Map.of("HEARTH_POOL_MAX_PYTHON", "12", "HEARTH_POOL_WINDOW_MS", "2000",
                "HEARTH_POOL_HEADROOM", "1.5", "HEARTH_POOL_START_CONCURRENCY", "8", "HEARTH_POOL_SHRINK_PER_SECOND", "5")).pool();
        assertEquals(12, set.runtimes().get(Language.PYTHON).maxPoolSize());
        assertEquals(java.time.Duration.ofSeconds(2), set.sizing().window());
        assertEquals(1.5, set.sizing().headroom());
        assertEquals(8, set.sizing().startConcurrency());
        assertEquals(5, set.sizing().shrinkPerSecond());
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_POOL_MAX_PYTHON", "2")),
                "a ceiling below the floor is refused");
    }

    @Test
    void variables_overrideDefaults() {
        HearthConfig config = HearthConfig.fromEnv(Map.of(
                "HEARTH_PORT", "9000", "HEARTH_DATA", "/srv/hearth", "HEARTH_POOL_PYTHON", "7",
                "HEARTH_MONGO_URI", "mongodb://db:27017", "HEARTH_CONTAINER_CPUS", "0.5", "HEARTH_IDLE_TIMEOUT_SECONDS", "60"));
        assertEquals(9000, config.port());
        assertEquals(Path.of("/srv/hearth"), config.dataDir());
        assertEquals(7, config.pool().runtimes().get(Language.PYTHON).poolSize());
        assertEquals("mongodb://db:27017", config.mongoUri());
        assertEquals(500_000_000L, config.pool().nanoCpus());
        assertEquals(Duration.ofSeconds(60), config.pool().idleTimeout());
    }

    @Test
    void registries_defaultToDockerHub_andEmptyOrNoneMeansNoPulls() {
        var hub = HearthConfig.fromEnv(Map.of()).pool().registries();
        assertEquals(Set.of(Registry.HUB), hub.allowed());
        assertFalse(hub.allowPrivate());
        assertTrue(HearthConfig.fromEnv(Map.of("HEARTH_REGISTRIES", "")).pool().registries().pullingDisabled(),
                "set but empty is no registry, not the default");
        assertTrue(HearthConfig.fromEnv(Map.of("HEARTH_REGISTRIES", "none")).pool().registries().pullingDisabled());
        var internal = HearthConfig.fromEnv(Map.of("HEARTH_REGISTRIES", "registry.corp:5000,docker.io",
                "HEARTH_PRIVATE_REGISTRIES", "true")).pool().registries();
        assertEquals(Set.of(new Registry("registry.corp", 5000), Registry.HUB), internal.allowed());
        assertTrue(internal.allowPrivate());
        var e = assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_REGISTRIES", "https://r.example")));
        assertTrue(e.getMessage().contains("HEARTH_REGISTRIES"), e::getMessage);
    }

    @Test
    void codeSettings_oneGraceForNodesAndStore() {
        HearthConfig config = HearthConfig.fromEnv(Map.of("HEARTH_CODE_GRACE_SECONDS", "2", "HEARTH_CODE_CACHE_MB", "10",
                "HEARTH_USER_MAX_FUNCTIONS", "5", "HEARTH_USER_MAX_CODE_MB", "3"));
        assertEquals(Duration.ofSeconds(2), config.pool().code().grace());
        assertEquals(Duration.ofSeconds(2), config.storage().codeGrace());
        assertEquals(10L * 1024 * 1024, config.pool().code().maxBytes());
        assertEquals(5, config.storage().userMaxFunctions());
        assertEquals(3L * 1024 * 1024, config.storage().userMaxCodeBytes());
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_CODE_GRACE_SECONDS", "0")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_USER_MAX_FUNCTIONS", "0")));
    }

    @Test
    void shares_defaultsOverridesAndBadValues() {
        var defaults = HearthConfig.fromEnv(Map.of()).pool().shares();
        assertEquals(10, defaults.userMaxMinWarm());
        assertEquals(0.5, defaults.provisionedShare());
        var set = HearthConfig.fromEnv(Map.of("HEARTH_USER_MAX_MIN_WARM", "3", "HEARTH_PROVISIONED_SHARE", "0.25")).pool().shares();
        assertEquals(3, set.userMaxMinWarm());
        assertEquals(0.25, set.provisionedShare());
        for (String bad : new String[] {"1.5", "-0.1", "half", "NaN"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_PROVISIONED_SHARE", bad)));
            assertTrue(e.getMessage().contains("HEARTH_PROVISIONED_SHARE"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_USER_MAX_MIN_WARM", "-1")));
    }

    @Test
    void malformedValues_nameTheVariable() {
        var e = assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_PORT", "eighty")));
        assertTrue(e.getMessage().contains("HEARTH_PORT"));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_NODE_ID", "no spaces")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_POOL_PYTHON", "-1")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_DATA", "/" + "d".repeat(120))),
                "a data folder too deep for Unix socket paths is refused at start");
    }

    @Test
    void egressNetwork_defaultsAndOverrides() {
        EgressSettings defaults = HearthConfig.fromEnv(Map.of()).pool().egress();
        assertEquals(new EgressSettings("hearth-egress", "hearth-egress", EgressSettings.Firewall.HOST), defaults);
        EgressSettings set = HearthConfig.fromEnv(Map.of("HEARTH_EGRESS_NETWORK", "tenants-outbound-network",
                "HEARTH_EGRESS_BRIDGE", "hearth-out0", "HEARTH_EGRESS_FIREWALL", "external")).pool().egress();
        assertEquals(new EgressSettings("tenants-outbound-network", "hearth-out0", EgressSettings.Firewall.EXTERNAL), set);
        var e = assertThrows(IllegalArgumentException.class,
                () -> HearthConfig.fromEnv(Map.of("HEARTH_EGRESS_NETWORK", "tenants-outbound-network")));
        assertTrue(e.getMessage().contains("HEARTH_EGRESS_BRIDGE"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_EGRESS_FIREWALL", "off")));
        assertTrue(e.getMessage().contains("HEARTH_EGRESS_FIREWALL"), e::getMessage);
    }

    @Test
    void buildSlots_defaultToTwoAndOnePerUser_andNonsenseIsRefused() {
        var builds = HearthConfig.fromEnv(Map.of()).builds();
        assertEquals(2, builds.slots());
        assertEquals(1, builds.userSlots());
        var set = HearthConfig.fromEnv(Map.of("HEARTH_BUILD_SLOTS", "4", "HEARTH_BUILD_USER_SLOTS", "2")).builds();
        assertEquals(4, set.slots());
        assertEquals(2, set.userSlots());
        var e = assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_BUILD_SLOTS", "0")));
        assertTrue(e.getMessage().contains("HEARTH_BUILD_SLOTS"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_BUILD_USER_SLOTS", "3")));
        assertTrue(e.getMessage().contains("HEARTH_BUILD_USER_SLOTS"), e::getMessage);
    }

    @Test
    void httpSettings_defaultsOverridesAndRefusals() {
        HttpSettings http = HearthConfig.fromEnv(Map.of()).http();
        assertEquals(64, http.workerThreads());
        assertEquals(1000, http.maxConnections());
        assertEquals(Duration.ofSeconds(10), http.parseTimeout());
        assertEquals(Duration.ofSeconds(60), http.idleTimeout());
        assertEquals(Duration.ofSeconds(60), http.bodyTimeout());
        assertEquals(1024L * 1024 * 1024, http.bodyBufferBytes());

        HttpSettings set = HearthConfig.fromEnv(Map.of("HEARTH_WORKER_THREADS", "8", "HEARTH_HTTP_MAX_CONNECTIONS", "50",
                "HEARTH_HTTP_PARSE_TIMEOUT_SECONDS", "2", "HEARTH_HTTP_IDLE_TIMEOUT_SECONDS", "3",
                "HEARTH_HTTP_BODY_TIMEOUT_SECONDS", "4", "HEARTH_HTTP_BODY_BUFFER_MB", "5")).http();
        assertEquals(new HttpSettings(8, 50, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4),
                5L * 1024 * 1024), set);
        assertEquals(4, set.withWorkerThreads(4).workerThreads());

        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_HTTP_BODY_TIMEOUT_SECONDS", "0")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_HTTP_MAX_CONNECTIONS", "-1")));
    }

    @Test
    void cpuSettings_dividedByUserByDefault_andStrictlyParsed() {
        assertEquals(new dev.hearth.poolmanager.docker.CpuSettings(true, 1024), HearthConfig.fromEnv(Map.of()).pool().cpu());
        var off = HearthConfig.fromEnv(Map.of("HEARTH_CPU_PER_USER", "false", "HEARTH_CPU_SHARES", "512")).pool().cpu();
        assertFalse(off.perUser());
        assertEquals(512, off.baseShares());
        // A typo never turns the division off silently.
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_CPU_PER_USER", "no")));
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_CPU_SHARES", "1")));
    }

    @Test
    void lambdaRegionAndAccount_defaultToUsEast1AndZeros_andAreSettable() {
        var defaults = HearthConfig.fromEnv(Map.of()).pool().lambda();
        assertEquals("us-east-1", defaults.region());
        assertEquals("000000000000", defaults.accountId());

        var set = HearthConfig.fromEnv(Map.of("HEARTH_REGION", "eu-central-1", "HEARTH_ACCOUNT_ID", "123456789012")).pool().lambda();
        assertEquals("eu-central-1", set.region());
        assertEquals("123456789012", set.accountId());
    }

    @Test
    void lambdaRegionAndAccount_ofOtherShapes_stopTheStart() {
        var region = assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_REGION", "Frankfurt")));
        assertTrue(region.getMessage().contains("us-east-1"), region.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HearthConfig.fromEnv(Map.of("HEARTH_ACCOUNT_ID", "42")));
    }
}
