package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and unmakes this node's containers: a private host folder per container, a hardened
 * container mounting it, and the wait until its agent listens. Every container carries the
 * node's label, so a later run of the same node finds and removes what this one left behind.
 */
final class ContainerFactory {

    static final String NODE_LABEL = "dev.hearth.node";
    private static final Logger log = LoggerFactory.getLogger(ContainerFactory.class);
    /** The uid and gid of the runtime images' unprivileged user, which must own its folder. */
    private static final int CONTAINER_UID = 1000;

    private final PoolConfig config;
    private final ContainerEngine engine;
    private final AgentClient agent;
    private final Path slotsDir;
    private final SecureRandom random = new SecureRandom();

    ContainerFactory(PoolConfig config, ContainerEngine engine, AgentClient agent) {
        this.config = config;
        this.engine = engine;
        this.agent = agent;
        this.slotsDir = config.nodeDir().resolve("slots");
    }

    /** Removes containers and folders a previous run of this node left behind. */
    void removeLeftovers() throws IOException {
        var leftovers = engine.findByLabel(NODE_LABEL, config.nodeId());
        if (!leftovers.isEmpty()) {
            log.info("removing {} container(s) left by a previous run of node {}", leftovers.size(), config.nodeId());
            leftovers.forEach(engine::remove);
        }
        CodeCache.deleteTree(slotsDir);
        Files.createDirectories(slotsDir);
    }

    /** Creates and starts a generic container and waits until its agent answers. */
    ContainerHandle start(Language language, int memoryMb, boolean egress) throws IOException, TimeoutException, InterruptedException {
        String slotId = HexFormat.of().formatHex(bytes(6));
        Path hostDir = Files.createDirectories(slotsDir.resolve(slotId));
        grantToContainerUser(hostDir);
        var spec = new ContainerSpec(
                config.runtimes().get(language).image(),
                "hearth-" + config.nodeId() + "-" + slotId,
                Map.of(NODE_LABEL, config.nodeId(), "dev.hearth.language", language.id(), "dev.hearth.slot", slotId),
                hostDir,
                memoryMb,
                config.nanoCpus(),
                config.pidsLimit(),
                config.tmpfsMb(),
                egress);
        String id;
        try {
            id = engine.start(spec);
        } catch (RuntimeException e) {
            CodeCache.deleteTree(hostDir);
            throw new IOException("cannot start a " + language.id() + " container: " + e.getMessage(), e);
        }
        var handle = new ContainerHandle(id, slotId, language, hostDir, memoryMb);
        try {
            agent.awaitReady(handle.socket(), config.readyTimeout());
            return handle;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            remove(handle);
            throw e;
        }
    }

    /** Kills the container and deletes its folder; failures are logged, never thrown. */
    void remove(ContainerHandle container) {
        try {
            engine.remove(container.id());
        } catch (RuntimeException e) {
            log.warn("cannot remove container {}: {}", container.id(), e.getMessage());
        }
        try {
            CodeCache.deleteTree(container.hostDir());
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", container.hostDir(), e.getMessage());
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * The agent creates its socket in this folder, so the container's user must own it. Code
     * linked in later stays owned by this process's user: the function can read it, not change it.
     */
    private static void grantToContainerUser(Path dir) throws IOException {
        try {
            Files.setAttribute(dir, "unix:uid", CONTAINER_UID);
            Files.setAttribute(dir, "unix:gid", CONTAINER_UID);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | UnsupportedOperationException e) {
            // Not root (a developer's machine): the folder is private to this container anyway.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
    }
}
