package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.ContainerSpec;
import dev.hearth.poolmanager.docker.CpuShares;
import dev.hearth.poolmanager.docker.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and unmakes this node's containers: a private host folder per container
 * ({@link ContainerFolders}), a hardened container mounting it, and the wait until its agent (or
 * an image's server) answers; also the specs of one-off {@code exec} containers, which have no
 * folder. Each container's CPU weight is registered with {@link CpuShares} under its user from
 * the moment it has one. Every container carries the node's label ({@link Labels#NODE}), so a
 * later run of the same node finds and removes what this one left behind.
 */
final class ContainerFactory {

    /** The kind of a container that runs a function's own image rather than a runtime's agent. */
    static final String IMAGE_KIND = "image";
    private static final Logger log = LoggerFactory.getLogger(ContainerFactory.class);
    /** How long to wait for an answer before checking that a starting container has not exited. */
    private static final Duration READY_CHECK = Duration.ofSeconds(1);

    private final PoolConfig config;
    private final ContainerEngine engine;
    private final AgentClient agent;
    private final ContainerFolders folders;
    private final CpuShares cpu;
    private final LongSupplier nanos;
    private final SecureRandom random = new SecureRandom();

    /** @param nanos the time in nanoseconds ({@code System::nanoTime}), which the ready timeout is measured in */
    ContainerFactory(PoolConfig config, ContainerEngine engine, AgentClient agent, CpuShares cpu, LongSupplier nanos) {
        this.config = config;
        this.engine = engine;
        this.agent = agent;
        this.cpu = cpu;
        this.nanos = nanos;
        this.folders = new ContainerFolders(config.nodeDir().resolve("slots"), config.containerUid(), config.imageRunDirKb(), nanos);
    }

    /** Removes containers and folders a previous run of this node left behind. */
    void removeLeftovers() throws IOException {
        var leftovers = engine.findByLabel(Labels.NODE, config.nodeId());
        if (!leftovers.isEmpty()) {
            log.info("removing {} container(s) left by a previous run of node {}", leftovers.size(), config.nodeId());
            leftovers.forEach(engine::remove);
        }
        folders.clear();
    }

    /**
     * What a container runs: a language runtime's image, or a function's own image with its
     * environment.
     *
     * @param kind  the language id, or {@code image} (also a container label)
     * @param owner the user the container is started for, or null for a pooled one (whose user comes later)
     */
    record Template(String image, String kind, Map<String, String> env, String owner) {
        Template {
            env = Map.copyOf(env);
        }

        Template(String image, String kind, Map<String, String> env) {
            this(image, kind, env, null);
        }

        Template ownedBy(String user) {
            return new Template(image, kind, env, user);
        }
    }

    Template runtime(Language language) {
        return new Template(config.runtimes().get(language).image(), language.id(), Map.of());
    }

    /** Creates and starts a container and waits until the agent (or the image's server) answers on its socket. */
    ContainerHandle start(Template template, int memoryMb, boolean egress) throws IOException, TimeoutException, InterruptedException {
        String localId = newId();
        Path hostDir;
        try {
            // An image's server is tenant code from its start: its folder is a capped tmpfs.
            hostDir = folders.create(localId, template.kind().equals(IMAGE_KIND));
        } catch (IOException e) {
            log.warn("cannot prepare the folder of a {} container: {}", template.kind(), e.getMessage());
            throw new IOException("this node could not prepare a folder for the container", e);
        }
        var spec = new ContainerSpec(
                template.image(),
                containerName(localId),
                labels(template.kind(), localId),
                hostDir,
                template.env(),
                memoryMb,
                config.nanoCpus(),
                config.pidsLimit(),
                config.tmpfsMb(),
                network(egress),
                // Started for a user: its weight is that user's from the start; pooled: the base weight.
                template.owner() == null ? cpu.base() : cpu.forNew(template.owner()));
        String id;
        try {
            id = engine.start(spec);
        } catch (RuntimeException e) {
            // The engine's words may name host paths: they go to the log, not to the caller.
            log.warn("the engine cannot start a {} container from {}: {}", template.kind(), template.image(), e.getMessage());
            folders.delete(hostDir, template.kind().equals(IMAGE_KIND));
            throw new IOException("the container engine could not start the container", e);
        }
        var handle = new ContainerHandle(id, localId, template.kind(), hostDir, memoryMb);
        if (template.owner() != null) {
            cpu.own(id, template.owner(), spec.cpuShares());
        }
        try {
            awaitReady(handle);
            return handle;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            remove(handle);
            throw e;
        }
    }

    /**
     * Waits for the agent (or an image's server) to answer, checking now and then that the
     * container still runs: one that exited is reported at once, with the last of its output.
     */
    private void awaitReady(ContainerHandle handle) throws IOException, TimeoutException, InterruptedException {
        long deadline = nanos.getAsLong() + config.readyTimeout().toNanos();
        while (true) {
            try {
                Path socket = folders.awaitSocket(handle.hostDir(), READY_CHECK);
                try {
                    agent.checkHealth(socket, READY_CHECK);
                } catch (IOException e) {
                    log.debug("health check of container {} failed: {}", handle.id(), e.toString());
                    throw new IOException("the container did not answer GET /healthz on " + ContainerSpec.MOUNT_POINT + "/agent.sock", e);
                }
                return;
            } catch (TimeoutException e) {
                OptionalInt exited = engine.exitStatus(handle.id());
                if (exited.isPresent()) {
                    String output = engine.logTail(handle.id(), 20).strip();
                    throw new IOException("the container exited with status " + exited.getAsInt() + " before answering on "
                            + ContainerSpec.MOUNT_POINT + "/agent.sock" + (output.isEmpty() ? "" : "; its last output: " + output));
                }
                if (nanos.getAsLong() > deadline) {
                    throw e;
                }
            }
        }
    }

    /**
     * Gives a pooled container to the user whose function it is about to load, before any of
     * that user's code runs in it.
     */
    void claim(ContainerHandle container, String owner) {
        cpu.own(container.id(), owner, cpu.base());
    }

    /** Kills the container and deletes its folder; failures are logged, never thrown. */
    void remove(ContainerHandle container) {
        // Every container leaves through here: its user's others get its share back.
        cpu.release(container.id());
        try {
            engine.remove(container.id());
        } catch (RuntimeException e) {
            log.warn("cannot remove container {}: {}", container.id(), e.getMessage());
        }
        try {
            folders.delete(container.hostDir(), container.kind().equals(IMAGE_KIND));
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", container.hostDir(), e.getMessage());
        }
    }

    /**
     * A one-off container with no host folder, for an {@code exec} image function: hardened and
     * labelled like every other, so a crash of this node never leaves it behind for good.
     * It counts as one of {@code owner}'s containers (by its name, known before it exists) until
     * {@link #oneOffDone} is called.
     */
    ContainerSpec oneOff(String image, Map<String, String> env, int memoryMb, boolean egress, String owner) {
        String id = newId();
        var spec = new ContainerSpec(image, containerName(id), labels("exec", id), null, env, memoryMb,
                config.nanoCpus(), config.pidsLimit(), config.tmpfsMb(), network(egress), cpu.forNew(owner));
        cpu.own(spec.name(), owner, spec.cpuShares());
        return spec;
    }

    /** A one-off container has been removed. */
    void oneOffDone(ContainerSpec spec) {
        cpu.release(spec.name());
    }

    /** Offline containers get no network at all; egress ones the network Hearth made, never Docker's default bridge. */
    private String network(boolean egress) {
        return egress ? config.egress().network() : ContainerSpec.NO_NETWORK;
    }

    private String containerName(String localId) {
        return "hearth-" + config.nodeId() + "-" + localId;
    }

    private Map<String, String> labels(String kind, String localId) {
        return Map.of(Labels.NODE, config.nodeId(), "dev.hearth.kind", kind, "dev.hearth.slot", localId);
    }

    private String newId() {
        byte[] b = new byte[6];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
