package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CPU is divided by user, read where the kernel reads it: the cgroup of each container's process on
 * the host. A user with four containers gets a quarter of the base weight in each, a user with one
 * the whole base, a pooled container with no user yet the base; a user's weight comes back when
 * containers go; and tenant code cannot write its own weight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuSharesIntegrationTest {

    static final int BASE = 1024;
    static final String SLEEPY = """
            import time
            def handler(event, context):
                time.sleep(1.5)
                return "slept"
            """;
    /** Tries to raise its own weight through every file a cgroup v1 or v2 container could see. */
    static final String GREEDY = """
            def handler(event, context):
                tried = {}
                for path in ("/sys/fs/cgroup/cpu/cpu.shares", "/sys/fs/cgroup/cpu,cpuacct/cpu.shares", "/sys/fs/cgroup/cpu.weight"):
                    try:
                        with open(path, "w") as f:
                            f.write("262144")
                        tried[path] = "written"
                    except OSError as e:
                        tried[path] = e.errno
                return tried
            """;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    Api api;
    String nodeId;

    @BeforeAll
    void start() {
        nodeId = hearth.nodeId();
        api = hearth.api();
    }

    @Test
    void manyContainersOfOneUser_weighWhatOneOfAnotherDoes() throws Exception {
        String heavy = api.userWithToken("heavy");
        String light = api.userWithToken("light");
        assertEquals(201, api.post("/v1/functions", heavy, Api.pythonSource("sleepy", SLEEPY)).status());
        assertEquals(201, api.post("/v1/functions", heavy, Api.pythonSource("greedy", GREEDY)).status());
        assertEquals(201, api.post("/v1/functions", light, Api.pythonSource("solo", SLEEPY)).status());

        // Three calls at once need three containers (pooled ones specialized, then cold ones).
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<Api.Reply>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(callers.submit(() -> api.invoke(heavy, "sleepy", "{}")));
            }
            for (Future<Api.Reply> call : calls) {
                assertEquals(200, call.get(60, TimeUnit.SECONDS).status());
            }
        } finally {
            callers.shutdownNow();
        }
        Api.Reply greedy = api.invoke(heavy, "greedy", "{}");
        assertEquals(200, greedy.status(), greedy.toString());
        assertFalse(greedy.text().contains("written"), "tenant code changed its own CPU weight: " + greedy.text());
        assertEquals(200, api.invoke(light, "solo", "{}").status());

        // Heavy's four containers share one base weight; light's one and the pooled ones have it whole.
        assertTrue(Docker.eventually(Duration.ofSeconds(20), () -> weights().stream().filter(w -> w == BASE / 4).count() == 4),
                "expected four containers at " + BASE / 4 + ": " + weights());
        List<Integer> all = weights();
        assertEquals(4, all.stream().filter(w -> w != BASE).count(), "every other container has the base weight: " + all);
        assertTrue(all.size() >= 5, "heavy's four, light's one and the pool: " + all);

        // Heavy's three sleepy containers go with the function: greedy's has the whole base again.
        assertEquals(204, api.delete("/v1/functions/sleepy", heavy).status());
        assertTrue(Docker.eventually(Duration.ofSeconds(20), () -> weights().stream().allMatch(w -> w == BASE)),
                "expected every container back at " + BASE + ": " + weights());
    }

    /** The CPU weight of every running container of this node, read from its process's cgroup on the host. */
    List<Integer> weights() {
        List<Integer> weights = new ArrayList<>();
        for (Container container : Docker.containersOf(nodeId)) {
            if (!"running".equals(container.getState())) {
                continue;
            }
            Long pid = Docker.CLIENT.inspectContainerCmd(container.getId()).exec().getState().getPidLong();
            if (pid == null || pid == 0) {
                continue;
            }
            try {
                weights.add(HostCgroup.cpuWeight(pid));
            } catch (IOException e) {
                // The container ended between the listing and the read.
                continue;
            }
        }
        return weights;
    }

    /** The cpu controller's weight of a host process: cpu.shares on cgroup v1 (as on this machine), cpu.weight on v2. */
    static final class HostCgroup {
        static int cpuWeight(long pid) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (List.of(parts[1].split(",")).contains("cpu")) {
                    for (String mount : List.of("/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct")) {
                        Path file = Path.of(mount + parts[2], "cpu.shares");
                        if (Files.exists(file)) {
                            return Integer.parseInt(Files.readString(file).strip());
                        }
                    }
                }
            }
            throw new UncheckedIOException(new IOException("no cgroup v1 cpu controller for process " + pid
                    + "; on cgroup v2 read cpu.weight, which Docker derives from the shares"));
        }
    }
}
