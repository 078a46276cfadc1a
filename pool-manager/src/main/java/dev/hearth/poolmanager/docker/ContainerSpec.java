package dev.hearth.poolmanager.docker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A hardened container to create: non-root, no capabilities, no new privileges, read-only root,
 * a small tmpfs on {@code /tmp}, memory/CPU/pids limits and no network.
 *
 * @param hostDir folder bind-mounted at {@link #MOUNT_POINT}, where the agent's socket and the code live;
 *                null for a container that needs none (an {@code exec} image function)
 * @param env     environment variables given to the container's process
 * @param network the Docker network to join: {@code none} (also for null), or the egress network
 *                ({@link EgressSettings#network()}) for a function that may reach the Internet
 * @param cpuShares its CPU weight under contention ({@link CpuShares}); 0 for the engine's default
 */
public record ContainerSpec(
        String image,
        String name,
        Map<String, String> labels,
        Path hostDir,
        Map<String, String> env,
        int memoryMb,
        long nanoCpus,
        long pidsLimit,
        int tmpfsMb,
        String network,
        int cpuShares) {

    /** Where every runtime image expects its host folder. */
    public static final String MOUNT_POINT = "/run/hearth";
    /** Docker's network of a container with only a loopback interface. */
    public static final String NO_NETWORK = "none";

    public ContainerSpec {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        env = env == null ? Map.of() : Map.copyOf(env);
        network = network == null || network.isBlank() ? NO_NETWORK : network;
        if (cpuShares != 0 && (cpuShares < CpuSettings.MIN_SHARES || cpuShares > CpuSettings.MAX_SHARES)) {
            throw new IllegalArgumentException("CPU shares out of range: " + cpuShares);
        }
    }

    /** The same container with another CPU weight. */
    public ContainerSpec withCpuShares(int shares) {
        return new ContainerSpec(image, name, labels, hostDir, env, memoryMb, nanoCpus, pidsLimit, tmpfsMb, network, shares);
    }

    /** Whether the container has a network other than its own loopback. */
    public boolean egress() {
        return !network.equals(NO_NETWORK);
    }
}
