package dev.hearth.poolmanager.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * The hardening of every container Hearth creates, function or job, written once: an
 * unprivileged user (never root), every capability dropped, no new privileges, a read-only root,
 * a {@code noexec} tmpfs {@code /tmp} of a fixed size, memory with no swap beyond it, CPU and
 * pids limits, an init as PID 1 and a capped log (docs/security.md). What differs between the
 * two kinds is said where it differs.
 */
final class Hardening {

    private static final long MIB = 1024L * 1024L;
    private static final String FUNCTION_LOG_SIZE = "1m";
    /** A build's log is what its owner reads when it fails, so it keeps more. */
    private static final String JOB_LOG_SIZE = "8m";

    /** {@code uid:gid} every container runs as, whatever its image says. */
    private final String user;

    /** @param containerUid the uid, and gid, of every container (never root) */
    Hardening(int containerUid) {
        if (containerUid < 1) {
            throw new IllegalArgumentException("containers never run as root");
        }
        this.user = containerUid + ":" + containerUid;
    }

    /** A function's container (see {@link ContainerSpec}); it has no network interface but loopback unless it has egress. */
    CreateContainerCmd container(CreateContainerCmd create, ContainerSpec spec) {
        return create
                .withName(spec.name())
                .withLabels(spec.labels())
                .withUser(user)
                .withEnv(env(spec.env()))
                .withNetworkDisabled(!spec.egress())
                .withHostConfig(hostConfig(spec));
    }

    /** A job's container (see {@link JobSpec}), running its command on the network it names. */
    CreateContainerCmd job(CreateContainerCmd create, JobSpec spec) {
        return create
                .withName(spec.name())
                .withLabels(spec.labels())
                .withUser(user)
                .withCmd(spec.command())
                .withEnv(env(spec.env()))
                .withHostConfig(hostConfig(spec));
    }

    static HostConfig hostConfig(ContainerSpec spec) {
        HostConfig host = hardened(spec.network(), spec.memoryMb(), spec.nanoCpus(), spec.pidsLimit(), spec.tmpfsMb(),
                FUNCTION_LOG_SIZE)
                .withShmSize(spec.tmpfsMb() * MIB);
        if (spec.cpuShares() > 0) {
            host.withCpuShares(spec.cpuShares());
        }
        if (spec.hostDir() != null) {
            host.withBinds(new Bind(spec.hostDir().toString(), new Volume(ContainerSpec.MOUNT_POINT)));
        }
        return host;
    }

    static HostConfig hostConfig(JobSpec spec) {
        return hardened(spec.network(), spec.memoryMb(), spec.nanoCpus(), spec.pidsLimit(), spec.tmpfsMb(), JOB_LOG_SIZE)
                .withBinds(spec.binds().entrySet().stream().map(b -> Bind.parse(b.getKey() + ":" + b.getValue())).toList());
    }

    private static HostConfig hardened(String network, int memoryMb, long nanoCpus, long pidsLimit, int tmpfsMb,
                                       String logSize) {
        long memory = memoryMb * MIB;
        return HostConfig.newHostConfig()
                .withNetworkMode(network)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,noexec,size=" + tmpfsMb + "m"))
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs(nanoCpus)
                .withPidsLimit(pidsLimit)
                // A minimal init as PID 1 reaps whatever the process forks (functions, npm scripts,
                // Maven forks) and forwards signals.
                .withInit(true)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", logSize, "max-file", "1")));
    }

    private static List<String> env(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
