package dev.hearth.poolmanager.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container that runs one command to its end, such as a build: same hardening as function
 * containers (unprivileged user, no capabilities, no new privileges, read-only root, an init,
 * a {@code noexec} {@code /tmp}, limits), on the network it names, since builds download dependencies.
 *
 * @param binds   host path → container path; a container path ending in {@code :ro} is read-only
 * @param network the Docker network to join (the egress network for builds)
 */
public record JobSpec(
        String image,
        String name,
        Map<String, String> labels,
        List<String> command,
        Map<String, String> env,
        Map<String, String> binds,
        String network,
        int memoryMb,
        long nanoCpus,
        long pidsLimit,
        int tmpfsMb,
        Duration timeout,
        int maxLogBytes) {

    public JobSpec {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(network, "network");
        labels = Map.copyOf(labels);
        command = List.copyOf(command);
        env = Map.copyOf(env);
        binds = Map.copyOf(binds);
    }

    /**
     * How the job ended.
     *
     * @param exitCode the command's exit status, or -1 when it was killed at the timeout
     * @param log      stdout and stderr interleaved, cut at {@link #maxLogBytes()}
     */
    public record Result(int exitCode, boolean timedOut, String log) {}
}
