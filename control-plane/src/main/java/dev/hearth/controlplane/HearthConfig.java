package dev.hearth.controlplane;

import dev.hearth.controlplane.function.BuildSettings;
import dev.hearth.controlplane.function.Limits;
import dev.hearth.controlplane.function.StorageSettings;
import dev.hearth.controlplane.http.HttpSettings;
import dev.hearth.poolmanager.LambdaSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolSizingSettings;
import dev.hearth.poolmanager.image.Registries;
import dev.hearth.poolmanager.docker.CpuSettings;
import dev.hearth.poolmanager.docker.EgressSettings;
import dev.hearth.poolmanager.code.CodeCacheSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every setting of a Hearth process, read once from environment variables at start
 * (README.md, "Configuration", lists them with their defaults) and passed down from here.
 * {@link #fromEnv} only reads the variables ({@link EnvVars}) and assembles them into the
 * settings records of the packages that use them, which validate themselves.
 *
 * @param mongoUri a MongoDB connection string, or null for the embedded store in {@code dataDir}
 * @param natsUrl  the NATS server(s) of a distributed deployment, or null in embedded mode
 */
public record HearthConfig(
        String bind,
        int port,
        Path dataDir,
        String mongoUri,
        String natsUrl,
        HttpSettings http,
        Duration invocationRetention,
        Limits limits,
        StorageSettings storage,
        BuildSettings builds,
        dev.hearth.controlplane.async.AsyncSettings async,
        dev.hearth.controlplane.user.AuthSettings auth,
        PoolConfig pool,
        dev.hearth.controlplane.route.RouteSettings routes) {

    public HearthConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(invocationRetention, "invocationRetention");
        Objects.requireNonNull(builds, "builds");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(async, "async");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(routes, "routes");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * The uid containers run as: above the 65,535 of classic accounts (and so of Docker images'
     * users and systemd's dynamic ones), below the 100,000 where useradd starts subordinate ranges.
     */
    static final int DEFAULT_CONTAINER_UID = 99_999;

    /** True when the process takes part in a distributed deployment over NATS. */
    public boolean distributed() {
        return natsUrl != null;
    }

    private static final long MIB = 1024L * 1024;

    public static HearthConfig fromEnv(Map<String, String> env) {
        var vars = new EnvVars(env);
        Path data = Path.of(vars.text("HEARTH_DATA", "./data")).toAbsolutePath().normalize();
        Duration codeGrace = Duration.ofSeconds(vars.integer("HEARTH_CODE_GRACE_SECONDS", 600));
        Map<Language, PoolConfig.RuntimeConfig> runtimes = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            String suffix = language.id().toUpperCase(java.util.Locale.ROOT);
            int floor = vars.integer("HEARTH_POOL_" + suffix, PoolConfig.RuntimeConfig.defaultPoolSize(language));
            runtimes.put(language, new PoolConfig.RuntimeConfig(
                    vars.text("HEARTH_IMAGE_" + suffix, PoolConfig.RuntimeConfig.defaultImage(language)), floor,
                    vars.integer("HEARTH_POOL_MAX_" + suffix, PoolConfig.RuntimeConfig.defaultMaxPoolSize(floor))));
        }
        var pool = new PoolConfig(
                vars.text("HEARTH_NODE_ID", "local"),
                Path.of(vars.text("HEARTH_RUN_DIR", data.resolve("run").toString())),
                runtimes,
                Duration.ofSeconds(vars.integer("HEARTH_IDLE_TIMEOUT_SECONDS", 300)),
                vars.integer("HEARTH_MAX_CONTAINERS", 64),
                vars.integer("HEARTH_MAX_CONTAINER_MEMORY_MB", defaultMemoryBudgetMb()),
                vars.integer("HEARTH_POOL_MEMORY_MB", 128),
                Math.round(Double.parseDouble(vars.text("HEARTH_CONTAINER_CPUS", "1")) * 1e9),
                vars.integer("HEARTH_CONTAINER_PIDS", 64),
                vars.integer("HEARTH_CONTAINER_TMP_MB", 64),
                Duration.ofSeconds(vars.integer("HEARTH_READY_TIMEOUT_SECONDS", 20)),
                vars.text("HEARTH_DOCKER_HOST", vars.raw("DOCKER_HOST", "unix:///var/run/docker.sock")),
                vars.integer("HEARTH_CONTAINER_UID", DEFAULT_CONTAINER_UID),
                vars.integer("HEARTH_IMAGE_RUN_DIR_KB", 256),
                // Set but empty means no registry at all, not the default.
                Registries.parse(vars.raw("HEARTH_REGISTRIES", Registries.DEFAULT),
                        Boolean.parseBoolean(vars.text("HEARTH_PRIVATE_REGISTRIES", "false"))),
                egress(vars),

                new CodeCacheSettings(codeGrace, vars.integer("HEARTH_CODE_CACHE_MB", 2048) * MIB),
                Path.of(vars.text("HEARTH_HOST_ETC", "/etc")),
                shares(vars),

                new CpuSettings(vars.bool("HEARTH_CPU_PER_USER", true), vars.integer("HEARTH_CPU_SHARES", 1024)),
                new LambdaSettings(vars.text("HEARTH_REGION", LambdaSettings.DEFAULT.region()),
                        vars.text("HEARTH_ACCOUNT_ID", LambdaSettings.DEFAULT.accountId())),
                new PoolSizingSettings(
                        Duration.ofMillis(vars.integer("HEARTH_POOL_WINDOW_MS", (int) PoolSizingSettings.DEFAULT.window().toMillis())),
                        Double.parseDouble(vars.text("HEARTH_POOL_HEADROOM", Double.toString(PoolSizingSettings.DEFAULT.headroom()))),
                        vars.integer("HEARTH_POOL_START_CONCURRENCY", PoolSizingSettings.DEFAULT.startConcurrency()),
                        vars.integer("HEARTH_POOL_SHRINK_PER_SECOND", PoolSizingSettings.DEFAULT.shrinkPerSecond())));
        var limits = new Limits(
                vars.integer("HEARTH_MAX_CODE_MB", 50) * 1024L * 1024L,
                6 * 1024 * 1024,
                128, 4096,
                3_000, 900_000,
                vars.integer("HEARTH_USER_CONCURRENCY", 100));
        String mongo = vars.text("HEARTH_MONGO_URI", "");
        String nats = vars.text("HEARTH_NATS_URL", "");
        return new HearthConfig(
                vars.text("HEARTH_BIND", "127.0.0.1"),
                vars.integer("HEARTH_PORT", 8080),
                data,
                mongo.isBlank() ? null : mongo,
                nats.isBlank() ? null : nats,
                new HttpSettings(
                        vars.integer("HEARTH_WORKER_THREADS", 64),
                        vars.integer("HEARTH_HTTP_MAX_CONNECTIONS", 1000),
                        Duration.ofSeconds(vars.integer("HEARTH_HTTP_PARSE_TIMEOUT_SECONDS", 10)),
                        Duration.ofSeconds(vars.integer("HEARTH_HTTP_IDLE_TIMEOUT_SECONDS", 60)),
                        Duration.ofSeconds(vars.integer("HEARTH_HTTP_BODY_TIMEOUT_SECONDS", 60)),
                        vars.integer("HEARTH_HTTP_BODY_BUFFER_MB", 1024) * MIB),
                Duration.ofHours(vars.integer("HEARTH_INVOCATION_RETENTION_HOURS", 168)),
                limits,
                new StorageSettings(codeGrace, vars.integer("HEARTH_USER_MAX_FUNCTIONS", 100),
                        vars.integer("HEARTH_USER_MAX_CODE_MB", 1024) * MIB, vars.integer("HEARTH_MAX_VERSIONS", 20)),
                new BuildSettings(
                        vars.text("HEARTH_BUILDER_IMAGE", "hearth/builder:latest"),
                        caBundle(vars.text("HEARTH_CA_BUNDLE", "/etc/ssl/certs")),
                        Duration.ofSeconds(vars.integer("HEARTH_BUILD_TIMEOUT_SECONDS", 600)),
                        vars.integer("HEARTH_BUILD_MEMORY_MB", 2048),
                        vars.integer("HEARTH_BUILD_DISK_MB", 1024),
                        vars.integer("HEARTH_BUILD_SLOTS", 2),
                        vars.integer("HEARTH_BUILD_USER_SLOTS", 1)),
                async(vars),
                auth(vars),
                pool,
                dev.hearth.controlplane.route.RouteSettings.parse(vars.text("HEARTH_ROUTE_DOMAINS", "")));
    }

    private static dev.hearth.controlplane.user.AuthSettings auth(EnvVars vars) {
        var trusted = new java.util.HashSet<java.net.InetAddress>();
        for (String proxy : vars.text("HEARTH_TRUSTED_PROXIES", "").split(",")) {
            if (!proxy.isBlank()) {
                trusted.add(dev.hearth.controlplane.user.AuthSettings.ipLiteral(proxy.trim()));
            }
        }
        return new dev.hearth.controlplane.user.AuthSettings(
                Duration.ofHours(vars.integer("HEARTH_TOKEN_TTL_HOURS", 720)),
                Duration.ofMillis(vars.integer("HEARTH_TOKEN_CHECK_MS", 250)),
                new dev.hearth.controlplane.user.AuthSettings.Throttle(
                        vars.integer("HEARTH_LOGIN_FREE_FAILURES", 5),
                        vars.integer("HEARTH_LOGIN_ADDRESS_FREE_FAILURES", 20),
                        vars.integer("HEARTH_LOGIN_USER_FREE_FAILURES", 20),
                        Duration.ofSeconds(vars.integer("HEARTH_LOGIN_MAX_DELAY_SECONDS", 900)),
                        Duration.ofMinutes(vars.integer("HEARTH_LOGIN_WINDOW_MINUTES", 15))),
                new dev.hearth.controlplane.user.AuthSettings.Hashing(
                        vars.integer("HEARTH_HASH_THREADS", dev.hearth.controlplane.user.AuthSettings.Hashing.defaultThreads()),
                        vars.integer("HEARTH_HASH_QUEUE", 16),
                        vars.integer("HEARTH_HASH_PER_ADDRESS", 2)),
                trusted);
    }

    /** One user runs at most half the async workers by default, so the other half stay free for everyone else. */
    private static dev.hearth.controlplane.async.AsyncSettings async(EnvVars vars) {
        int workers = vars.integer("HEARTH_ASYNC_WORKERS", 8);
        return new dev.hearth.controlplane.async.AsyncSettings(
                vars.integer("HEARTH_ASYNC_MAX_ATTEMPTS", 3),
                Duration.ofMillis(vars.integer("HEARTH_ASYNC_RETRY_BASE_MS", 1000)),
                workers,
                Boolean.parseBoolean(vars.text("HEARTH_ASYNC_PRIVATE_CALLBACKS", "false")),
                Duration.ofSeconds(vars.integer("HEARTH_ASYNC_ACK_WAIT_SECONDS", 30)),
                vars.integer("HEARTH_ASYNC_USER_MAX_RUNNING", Math.max(1, workers / 2)),
                vars.integer("HEARTH_ASYNC_USER_MAX_QUEUED", 1000),
                new dev.hearth.controlplane.async.AsyncSettings.Callbacks(
                        vars.integer("HEARTH_ASYNC_CALLBACK_WORKERS", 8),
                        vars.integer("HEARTH_ASYNC_CALLBACK_USER_QUEUE", 100),
                        vars.integer("HEARTH_ASYNC_CALLBACK_QUEUE", 1000)));
    }

    /** How the node is divided between users: the minWarm cap per user, and the part of the node minWarm may take. */
    private static dev.hearth.poolmanager.Shares shares(EnvVars vars) {
        String share = vars.text("HEARTH_PROVISIONED_SHARE", "0.5");
        double provisioned;
        try {
            provisioned = Double.parseDouble(share);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HEARTH_PROVISIONED_SHARE must be a number between 0 and 1, got '" + share + "'");
        }
        return new dev.hearth.poolmanager.Shares(vars.integer("HEARTH_USER_MAX_MIN_WARM", 10), provisioned);
    }

    /** The bridge interface is named after the network unless that name is too long for Linux (15 characters). */
    private static EgressSettings egress(EnvVars vars) {
        String network = vars.text("HEARTH_EGRESS_NETWORK", "hearth-egress");
        String bridge = vars.text("HEARTH_EGRESS_BRIDGE", network.length() <= 15 ? network : null);
        if (bridge == null) {
            throw new IllegalArgumentException("HEARTH_EGRESS_NETWORK '" + network + "' is longer than an interface name may be;"
                    + " set HEARTH_EGRESS_BRIDGE (15 characters at most)");
        }
        return new EgressSettings(network, bridge, EgressSettings.Firewall.parse(vars.text("HEARTH_EGRESS_FIREWALL", "host")));
    }

    /** Four fifths of the machine's memory; the rest is for the engine, this process and the system. */
    private static int defaultMemoryBudgetMb() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return (int) Math.min(Integer.MAX_VALUE, os.getTotalMemorySize() / (1024 * 1024) * 4 / 5);
    }

    private static Path caBundle(String folder) {
        Path path = Path.of(folder);
        return java.nio.file.Files.isDirectory(path) ? path : null;
    }
}
