package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to real containers: cold starts, hardening, eviction, deletion, leftovers, shutdown. */
class ContainerLifecycleIntegrationTest {

    static final String ECHO = PythonFunctionIntegrationTest.ECHO;

    @TempDir
    Path data;

    @Test
    void emptyPool_startsCold_andContainersAreHardened() throws Exception {
        var env = TestHearth.settings(data);
        env.put("HEARTH_POOL_PYTHON", "0");
        String node = env.get("HEARTH_NODE_ID");
        try (Hearth hearth = TestHearth.startWarm(env)) {
            var api = new Api(hearth.port());
            String token = api.userWithToken("erin");
            var body = Api.pythonSource("echo", ECHO).put("memoryMb", 192);
            assertEquals(201, api.post("/v1/functions", token, body).status());

            Api.Reply first = api.invoke(token, "echo", "{}");
            assertEquals(200, first.status(), first::toString);
            assertEquals("cold", first.header("X-Hearth-Start"));
            assertEquals("warm", api.invoke(token, "echo", "{}").header("X-Hearth-Start"));

            var containers = Docker.containersOf(node);
            assertEquals(1, containers.size());
            InspectContainerResponse inspected = Docker.CLIENT.inspectContainerCmd(containers.get(0).getId()).exec();
            HostConfig host = inspected.getHostConfig();
            assertEquals(HearthConfig.DEFAULT_CONTAINER_UID + ":" + HearthConfig.DEFAULT_CONTAINER_UID, inspected.getConfig().getUser());
            assertEquals("none", host.getNetworkMode());
            assertTrue(host.getReadonlyRootfs());
            assertEquals(List.of(Capability.ALL), Arrays.asList(host.getCapDrop()));
            assertTrue(host.getSecurityOpts().contains("no-new-privileges"));
            assertEquals(192L * 1024 * 1024, host.getMemory());
            assertEquals(host.getMemory(), host.getMemorySwap(), "no swap beyond the memory limit");
            assertTrue(host.getPidsLimit() > 0);
            assertTrue(host.getNanoCPUs() > 0);
            assertTrue(host.getTmpFs().containsKey("/tmp"));
        }
    }

    @Test
    void idleContainers_areEvicted_andTheNextCallStartsAgain() throws Exception {
        var env = TestHearth.settings(data);
        env.put("HEARTH_POOL_PYTHON", "0");
        env.put("HEARTH_IDLE_TIMEOUT_SECONDS", "1");
        String node = env.get("HEARTH_NODE_ID");
        try (Hearth hearth = TestHearth.startWarm(env)) {
            var api = new Api(hearth.port());
            String token = api.userWithToken("frank");
            assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("echo", ECHO)).status());
            assertEquals("cold", api.invoke(token, "echo", "{}").header("X-Hearth-Start"));
            assertEquals(1, Docker.containersOf(node).size());

            assertTrue(Docker.eventually(Duration.ofSeconds(15), () -> Docker.containersOf(node).isEmpty()),
                    "idle container evicted");
            assertEquals(0, hearth.pool().stats().warm());
            assertEquals("cold", api.invoke(token, "echo", "{}").header("X-Hearth-Start"));
        }
    }

    @Test
    void deletingAFunction_removesItsContainers() throws Exception {
        var env = TestHearth.settings(data);
        env.put("HEARTH_POOL_PYTHON", "0");
        String node = env.get("HEARTH_NODE_ID");
        try (Hearth hearth = TestHearth.startWarm(env)) {
            var api = new Api(hearth.port());
            String token = api.userWithToken("gina");
            assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("keep", ECHO)).status());
            assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("drop", ECHO)).status());
            assertEquals(200, api.invoke(token, "keep", "{}").status());
            assertEquals(200, api.invoke(token, "drop", "{}").status());
            assertEquals(2, Docker.containersOf(node).size());

            assertEquals(204, api.delete("/v1/functions/drop", token).status());
            assertEquals(1, Docker.containersOf(node).size(), "drop's container is gone when DELETE answers");
            assertEquals("warm", api.invoke(token, "keep", "{}").header("X-Hearth-Start"));
        }
    }

    @Test
    void start_removesLeftovers_andClose_removesEverything() throws Exception {
        var env = TestHearth.settings(data);
        env.put("HEARTH_POOL_PYTHON", "2");
        String node = env.get("HEARTH_NODE_ID");
        String leftover = Docker.CLIENT.createContainerCmd("hearth/runtime-python:latest")
                .withLabels(Map.of("dev.hearth.node", node))
                .withName("hearth-" + node + "-leftover")
                .exec().getId();
        assertEquals(1, Docker.containersOf(node).size());

        try (Hearth hearth = TestHearth.startWarm(env)) {
            assertTrue(Docker.containersOf(node).stream().noneMatch(c -> c.getId().equals(leftover)),
                    "a previous run's container is removed at start");
            assertEquals(2, Docker.containersOf(node).size(), "the pool is filled");
        }
        assertEquals(List.of(), Docker.containersOf(node), "close removes every container of the node");
    }
}
