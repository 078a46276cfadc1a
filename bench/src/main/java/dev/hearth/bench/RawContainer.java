package dev.hearth.bench;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.docker.ContainerSpec;
import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.docker.Labels;
import dev.hearth.poolmanager.host.Ownership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * A runtime container driven without Hearth: created with docker-java (hardened and limited as
 * Hearth's are), its code written into its folder, loaded with {@code /init} and called with
 * {@code /run} on its agent's socket. The original design's container per call, and the lower
 * bound of a warm call.
 */
final class RawContainer implements AutoCloseable {

    private static final byte[] EVENT = "{\"n\":1}".getBytes();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The uid Hearth runs containers as, from the same settings. */
    static final int CONTAINER_UID = dev.hearth.controlplane.HearthConfig.fromEnv(System.getenv()).pool().containerUid();

    private final DockerEngine engine;
    private final AgentClient agent;
    private final Path dir;
    private final String id;
    private final FunctionSpec function;

    private RawContainer(DockerEngine engine, AgentClient agent, Path dir, String id, FunctionSpec function) {
        this.engine = engine;
        this.agent = agent;
        this.dir = dir;
        this.id = id;
        this.function = function;
    }

    /** Creates and starts the container, waits for its agent and loads the code: ready for {@link #run()}. */
    static RawContainer start(DockerEngine engine, AgentClient agent, String runtime, String label)
            throws IOException, TimeoutException, InterruptedException {
        Path dir = Files.createTempDirectory("hearth-bench-slot");
        Ownership.toContainerUser(dir, CONTAINER_UID);
        for (var file : BenchCode.files(runtime).entrySet()) {
            Path target = dir.resolve("code").resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        // The image Hearth itself would run (HEARTH_IMAGE_<RUNTIME>), so a before/after pair compares like with like.
        String image = System.getenv().getOrDefault("HEARTH_IMAGE_" + runtime.toUpperCase(Locale.ROOT),
                "hearth/runtime-" + runtime + ":latest");
        var spec = new ContainerSpec(image, "hearth-bench-" + UUID.randomUUID(),
                Map.of(Labels.NODE, label), dir, Map.of(), 128, 1_000_000_000L, 64, 64, ContainerSpec.NO_NETWORK, 0);
        String id = engine.start(spec);
        var function = new FunctionSpec("bench", "bench", "bench", 1,
                new Workload.Source(Language.byId(runtime).orElseThrow(), BenchCode.handler(runtime), "0".repeat(64)),
                new FunctionSettings(128, 30_000, 0, Map.of(), false, 0));
        var container = new RawContainer(engine, agent, dir, id, function);
        try {
            awaitSocket(dir.resolve("agent.sock"));
            agent.checkHealth(dir.resolve("agent.sock"), TIMEOUT);
            String init = BenchClient.JSON.writeValueAsString(Map.of("handler", BenchCode.handler(runtime),
                    "codeDir", ContainerSpec.MOUNT_POINT + "/code", "functionName", "bench", "functionVersion", "1",
                    "memoryMb", 128, "timeoutMs", 30_000, "env", Map.of()));
            AgentReply reply = agent.init(dir.resolve("agent.sock"), init.getBytes(), TIMEOUT);
            if (!reply.ok()) {
                throw new IllegalStateException("init answered " + reply.status() + ": " + new String(reply.body()));
            }
            return container;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            container.close();
            throw e;
        }
    }

    /** The bench's own code runs in this container, so its socket is trusted as it appears. */
    private static void awaitSocket(Path socket) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long pauseMicros = 500;
        while (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no agent socket after " + TIMEOUT);
            }
            java.util.concurrent.TimeUnit.MICROSECONDS.sleep(pauseMicros);
            pauseMicros = Math.min(pauseMicros * 2, 20_000);
        }
    }

    /** One invocation straight on the agent. */
    byte[] run() throws IOException, TimeoutException, InterruptedException {
        AgentReply reply = agent.run(dir.resolve("agent.sock"), new InvokeRequest(function, "bench", EVENT),
                System.currentTimeMillis() + 30_000, TIMEOUT);
        if (!reply.ok()) {
            throw new IllegalStateException("run answered " + reply.status() + ": " + new String(reply.body()));
        }
        return reply.body();
    }

    @Override
    public void close() {
        engine.remove(id);
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder
        }
    }
}
