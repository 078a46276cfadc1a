package dev.hearth.poolmanager.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commands are built and inspected, never executed: no engine is needed. */
class HardeningTest {

    private static final long MIB = 1024L * 1024L;

    /** A command to fill in and inspect; executing it would be a bug in the test. */
    private static CreateContainerCmd create(String image) {
        return new CreateContainerCmdImpl(command -> {
            throw new AssertionError("never executed");
        }, null, image);
    }

    private static ContainerSpec function(Path hostDir, String network, int cpuShares) {
        return new ContainerSpec("hearth/runtime-python", "fn-1", Map.of("hearth.node", "local"), hostDir,
                Map.of("A", "1"), 256, 500_000_000L, 64, 32, network, cpuShares);
    }

    private static JobSpec job() {
        return new JobSpec("hearth/builder", "build-1", Map.of("hearth.node", "local"), List.of("build", "--all"),
                Map.of("B", "2"), Map.of("/host/src", "/work/src:ro"), "hearth-egress", 2048, 2_000_000_000L, 128, 16,
                Duration.ofMinutes(10), 64 * 1024);
    }

    /** What every container gets, function or job. */
    private static void assertHardened(HostConfig host, String network, int memoryMb, long nanoCpus, long pids, int tmpfsMb,
                                       String logSize) {
        assertEquals(network, host.getNetworkMode());
        assertArrayEquals(new Capability[] {Capability.ALL}, host.getCapDrop());
        assertEquals(List.of("no-new-privileges"), host.getSecurityOpts());
        assertTrue(host.getReadonlyRootfs());
        assertEquals(Map.of("/tmp", "rw,nosuid,nodev,noexec,size=" + tmpfsMb + "m"), host.getTmpFs());
        assertEquals(memoryMb * MIB, host.getMemory());
        assertEquals(memoryMb * MIB, host.getMemorySwap(), "no swap beyond the memory limit");
        assertEquals(nanoCpus, host.getNanoCPUs());
        assertEquals(pids, host.getPidsLimit());
        assertTrue(host.getInit());
        assertEquals(LogConfig.LoggingType.JSON_FILE, host.getLogConfig().getType());
        assertEquals(Map.of("max-size", logSize, "max-file", "1"), host.getLogConfig().getConfig());
    }

    @Test
    void functionContainer_hasEveryHardeningSetting_andShmAsBigAsTmp() {
        HostConfig host = Hardening.hostConfig(function(Path.of("/data/run/fn-1"), null, 256));
        assertHardened(host, ContainerSpec.NO_NETWORK, 256, 500_000_000L, 64, 32, "1m");
        assertEquals(32 * MIB, host.getShmSize());
        assertEquals(256, host.getCpuShares());
        assertArrayEquals(new Bind[] {Bind.parse("/data/run/fn-1:" + ContainerSpec.MOUNT_POINT)}, host.getBinds());
    }

    @Test
    void functionContainer_withoutFolderOrShares_mountsNothing_andKeepsTheEngineWeight() {
        HostConfig host = Hardening.hostConfig(function(null, null, 0));
        assertHardened(host, ContainerSpec.NO_NETWORK, 256, 500_000_000L, 64, 32, "1m");
        assertEquals(0, host.getBinds().length);
        assertNull(host.getCpuShares());
    }

    @Test
    void job_hasEveryHardeningSetting_onItsNetwork_withItsBinds() {
        HostConfig host = Hardening.hostConfig(job());
        assertHardened(host, "hearth-egress", 2048, 2_000_000_000L, 128, 16, "8m");
        assertArrayEquals(new Bind[] {Bind.parse("/host/src:/work/src:ro")}, host.getBinds());
        assertNull(host.getShmSize());
        assertNull(host.getCpuShares());
    }

    @Test
    void bothKinds_runAsTheContainerUser_neverAsTheImageSays() {
        var hardening = new Hardening(99_999);
        var container = hardening.container(create("hearth/runtime-python"),
                function(null, null, 0));
        assertEquals("99999:99999", container.getUser());
        assertEquals("fn-1", container.getName());
        assertArrayEquals(new String[] {"A=1"}, container.getEnv());
        assertEquals(Hardening.hostConfig(function(null, null, 0)), container.getHostConfig());

        var job = hardening.job(create("hearth/builder"), job());
        assertEquals("99999:99999", job.getUser());
        assertArrayEquals(new String[] {"build", "--all"}, job.getCmd());
        assertArrayEquals(new String[] {"B=2"}, job.getEnv());
        assertEquals(Hardening.hostConfig(job()), job.getHostConfig());
    }

    @Test
    void functionContainer_hasNoNetworkInterface_unlessItHasEgress() {
        var hardening = new Hardening(99_999);
        assertTrue(hardening.container(create("i"), function(null, null, 0)).isNetworkDisabled());
        var egress = hardening.container(create("i"), function(null, "hearth-egress", 0));
        assertFalse(egress.isNetworkDisabled());
        assertEquals("hearth-egress", egress.getHostConfig().getNetworkMode());
    }

    @Test
    void root_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Hardening(0));
    }
}
