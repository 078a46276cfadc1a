package dev.hearth.poolmanager;

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
 * The pool manager's settings, read once at start by the process that embeds it.
 *
 * @param nodeId          labels this node's containers and keys its files; leftovers are found by it
 * @param runDir          host folder holding one bind-mounted folder per container (agent socket, code)
 * @param runtimes        image, pool size (the floor) and most pre-started containers per language
 * @param idleTimeout     a specialized container idle this long is removed
 * @param maxContainers   upper bound on containers this node runs at once, all states together
 * @param maxMemoryMb     upper bound on the memory limits of this node's containers, added up
 * @param poolMemoryMb    memory limit of pre-started containers (a function asking for more is resized)
 * @param nanoCpus        CPU quota of each container, in billionths of a CPU
 * @param pidsLimit       processes and threads a container may run
 * @param tmpfsMb         size of each container's writable {@code /tmp}
 * @param readyTimeout    how long a new container may take to open its agent socket
 * @param dockerHost      the Docker Engine endpoint, e.g. {@code unix:///var/run/docker.sock}
 * @param containerUid    the uid (and gid) every container runs as; one no host account or subordinate range has
 * @param imageRunDirKb   size of the tmpfs an {@code http} image's {@code /run/hearth} is, the most it can
 *                        write there before its socket appears; 0 runs such images on a plain folder (no cap)
 * @param registries      where image functions' images may be pulled from; checked here, where the pull happens
 * @param egress          the network containers of {@code "network": "egress"} functions join
 * @param code            how long unpacked code is kept, and how much of it
 * @param hostEtc         the host's {@code /etc}, whose accounts the container uid must not be (mounted elsewhere
 *                        when Hearth itself runs in a container)
 * @param shares          how containers and memory are divided between users
 * @param cpu             how containers share the CPU: divided by user, or per container
 * @param lambda          the region and account id a source function's Lambda environment names
 * @param sizing          how the pre-started pools grow with demand and shrink back to their floor
 */
public record PoolConfig(
        String nodeId,
        Path runDir,
        Map<Language, RuntimeConfig> runtimes,
        Duration idleTimeout,
        int maxContainers,
        long maxMemoryMb,
        int poolMemoryMb,
        long nanoCpus,
        long pidsLimit,
        int tmpfsMb,
        Duration readyTimeout,
        String dockerHost,
        int containerUid,
        int imageRunDirKb,
        Registries registries,
        EgressSettings egress,

        CodeCacheSettings code,
        Path hostEtc,
        Shares shares,
        CpuSettings cpu,
        LambdaSettings lambda,
        PoolSizingSettings sizing) {

    public PoolConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!nodeId.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("node id must be 1-63 letters, digits, '.', '_' or '-': " + nodeId);
        }
        runDir = runDir.toAbsolutePath().normalize();
        // The agent socket lives at <runDir>/<nodeId>/<slot>/agent.sock; Unix socket paths stop at 107 bytes.
        if (runDir.toString().length() + nodeId.length() + 32 > 107) {
            throw new IllegalArgumentException("run folder path too long for Unix sockets: " + runDir);
        }
        runtimes = Map.copyOf(new EnumMap<>(runtimes));
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(registries, "registries");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(hostEtc, "hostEtc");
        Objects.requireNonNull(shares, "shares");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(sizing, "sizing");
        if (maxContainers < 1 || maxMemoryMb < poolMemoryMb || poolMemoryMb < 16 || nanoCpus < 1 || pidsLimit < 8 || tmpfsMb < 1) {
            throw new IllegalArgumentException("container limits out of range");
        }
        if (containerUid < 1 || containerUid > 2_147_483_646) {
            throw new IllegalArgumentException("the container uid must be between 1 and 2147483646 (never root): " + containerUid);
        }
        if (imageRunDirKb < 0) {
            throw new IllegalArgumentException("the image run folder size must be >= 0 KiB: " + imageRunDirKb);
        }
    }

    /**
     * Image and pre-started pool size of one language: {@code poolSize} is kept at all times (the
     * floor), and demand grows the pool up to {@code maxPoolSize}.
     */
    public record RuntimeConfig(String image, int poolSize, int maxPoolSize) {
        /** Pre-started containers of a language that is {@link Language#prewarmedByDefault() prewarmed by default}. */
        public static final int DEFAULT_POOL_SIZE = 3;
        /** The default ceiling is 10 times the floor, up to this many (and never below the floor). */
        public static final int DEFAULT_MAX_POOL_SIZE = 32;

        public RuntimeConfig {
            Objects.requireNonNull(image, "image");
            if (poolSize < 0) {
                throw new IllegalArgumentException("pool size must be >= 0: " + poolSize);
            }
            if (maxPoolSize < poolSize) {
                throw new IllegalArgumentException("the most pre-started containers (" + maxPoolSize
                        + ") must be at least the pool size (" + poolSize + ")");
            }
        }

        /** A pool of {@code poolSize} that grows up to {@link #defaultMaxPoolSize}. */
        public RuntimeConfig(String image, int poolSize) {
            this(image, poolSize, defaultMaxPoolSize(poolSize));
        }

        /**
         * 10 times the floor, up to {@link #DEFAULT_MAX_POOL_SIZE}, never below the floor: 0 stays
         * 0. A floor of 3 grows to 30: room for the first calls of 30 functions deployed at once.
         */
        public static int defaultMaxPoolSize(int poolSize) {
            return Math.max(poolSize, Math.min(DEFAULT_MAX_POOL_SIZE, 10 * poolSize));
        }

        /** The image {@code ./hearth} builds for {@code language}: {@code hearth/runtime-<id>:latest}. */
        public static String defaultImage(Language language) {
            return "hearth/runtime-" + language.id() + ":latest";
        }

        /** The pool size when the operator sets none: {@link #DEFAULT_POOL_SIZE}, or 0 (first calls start cold). */
        public static int defaultPoolSize(Language language) {
            return language.prewarmedByDefault() ? DEFAULT_POOL_SIZE : 0;
        }
    }

    /** This node's folder under {@link #runDir()}. */
    public Path nodeDir() {
        return runDir.resolve(nodeId);
    }
}
