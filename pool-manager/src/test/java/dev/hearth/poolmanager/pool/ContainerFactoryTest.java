package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.docker.ContainerSpec;
import dev.hearth.poolmanager.docker.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerFactoryTest {

    @TempDir
    Path runDir;

    FakeNode node;

    @BeforeEach
    void start() {
        node = new FakeNode(runDir);
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    @Test
    void start_createsAHardenedLabelledContainer_mountingItsOwnFolder() throws Exception {
        ContainerHandle container = node.factory.start(node.factory.runtime(Language.PYTHON), 128, false);

        ContainerSpec spec = node.engine.started.get(0);
        assertEquals("hearth/runtime-python", spec.image());
        assertEquals("hearth-" + FakeNode.NODE_ID + "-" + container.localId(), spec.name());
        assertEquals(Map.of(Labels.NODE, FakeNode.NODE_ID, "dev.hearth.kind", "python", "dev.hearth.slot", container.localId()),
                spec.labels());
        assertEquals(node.config.nodeDir().resolve("slots").resolve(container.localId()), spec.hostDir());
        assertEquals(container.hostDir(), spec.hostDir());
        assertEquals(128, spec.memoryMb());
        assertEquals(node.config.nanoCpus(), spec.nanoCpus());
        assertEquals(node.config.pidsLimit(), spec.pidsLimit());
        assertEquals(node.config.tmpfsMb(), spec.tmpfsMb());
        assertEquals(ContainerSpec.NO_NETWORK, spec.network(), "an offline container has no network at all");
        assertEquals(node.cpu.base(), spec.cpuShares(), "a pooled container has no user yet: the base weight");
        assertEquals(List.of(container.socket()), node.agent.healthChecks, "ready once the agent answers on its socket");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(container.hostDir())),
                "locked once the socket appeared");
    }

    @Test
    void start_forAUser_joinsTheEgressNetwork_andCountsAsTheirs() throws Exception {
        var template = node.factory.runtime(Language.PYTHON).ownedBy("alice");

        ContainerHandle container = node.factory.start(template, 256, true);

        ContainerSpec spec = node.engine.started.get(0);
        assertEquals("hearth-egress", spec.network(), "egress goes through Hearth's network, never Docker's bridge");
        assertEquals(256, container.memoryMb());
        assertEquals(1, node.cpu.containersOf("alice"));
    }

    @Test
    void start_removesTheContainerAndItsFolder_whenTheAgentNeverAnswersInTime() throws Exception {
        node.agentsSilent();

        assertThrows(TimeoutException.class, () -> node.factory.start(node.factory.runtime(Language.PYTHON), 128, false));

        assertTrue(node.engine.running.isEmpty(), "the container is removed");
        assertEquals(1, node.engine.removed.size());
        Path folder = node.engine.started.get(0).hostDir();
        assertFalse(Files.exists(folder, LinkOption.NOFOLLOW_LINKS), "its folder is deleted");
    }

    @Test
    void start_reportsAnExitedContainer_withItsStatusAndLastOutput() throws Exception {
        node.engine.onStart = (id, spec) -> {
            node.engine.exited.put(id, 3);
            node.engine.logs.put(id, "ModuleNotFoundError: no agent\n");
        };

        IOException failed = assertThrows(IOException.class,
                () -> node.factory.start(node.factory.runtime(Language.PYTHON), 128, false));

        assertTrue(failed.getMessage().contains("exited with status 3"), failed.getMessage());
        assertTrue(failed.getMessage().contains("ModuleNotFoundError: no agent"), failed.getMessage());
        assertTrue(node.engine.running.isEmpty());
    }

    @Test
    void start_deletesTheFolder_andKeepsTheEnginesWordsFromTheCaller_whenTheEngineRefuses() throws Exception {
        node.engine.onStart = (id, spec) -> {
            throw new IllegalStateException("no such image: /var/lib/secret/path");
        };

        IOException failed = assertThrows(IOException.class,
                () -> node.factory.start(node.factory.runtime(Language.PYTHON), 128, false));

        assertEquals("the container engine could not start the container", failed.getMessage());
        try (var left = Files.list(node.config.nodeDir().resolve("slots"))) {
            assertEquals(0, left.count(), "no folder is left behind");
        }
    }

    @Test
    void start_unhealthyAgent_removesTheContainer() throws Exception {
        node.agent.health = socket -> {
            throw new IOException("connection refused");
        };

        IOException failed = assertThrows(IOException.class,
                () -> node.factory.start(node.factory.runtime(Language.PYTHON), 128, false));

        assertTrue(failed.getMessage().contains("GET /healthz"), failed.getMessage());
        assertTrue(node.engine.running.isEmpty());
    }

    @Test
    void removeLeftovers_removesThisNodesContainersByLabel_andTheirFolders() throws Exception {
        var engine = node.engine;
        String mine = engine.start(new ContainerSpec("old", "hearth-test-node-old", Map.of(Labels.NODE, FakeNode.NODE_ID), null,
                Map.of(), 128, 1, 8, 1, null, 0));
        String others = engine.start(new ContainerSpec("old", "hearth-other-old", Map.of(Labels.NODE, "other-node"), null,
                Map.of(), 128, 1, 8, 1, null, 0));
        Path oldFolder = Files.createDirectories(node.config.nodeDir().resolve("slots").resolve("0123456789ab"));

        node.factory.removeLeftovers();

        assertEquals(List.of(mine), engine.removed);
        assertTrue(engine.running.containsKey(others), "another node's containers are not this node's to remove");
        assertFalse(Files.exists(oldFolder, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(node.config.nodeDir().resolve("slots")));
    }

    @Test
    void remove_killsTheContainer_deletesItsFolder_andGivesItsUsersWeightBack() throws Exception {
        ContainerHandle container = node.factory.start(node.factory.runtime(Language.PYTHON).ownedBy("alice"), 128, false);

        node.factory.remove(container);

        assertEquals(List.of(container.id()), node.engine.removed);
        assertFalse(Files.exists(container.hostDir(), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, node.cpu.containersOf("alice"));
    }

    @Test
    void oneOff_isHardenedAndLabelled_withNoFolder_andCountsForItsOwnerUntilDone() {
        ContainerSpec spec = node.factory.oneOff("example/exec", Map.of("A", "1"), 64, false, "bob");

        assertEquals(FakeNode.NODE_ID, spec.labels().get(Labels.NODE));
        assertEquals("exec", spec.labels().get("dev.hearth.kind"));
        assertEquals(null, spec.hostDir());
        assertEquals(1, node.cpu.containersOf("bob"));
        node.factory.oneOffDone(spec);
        assertEquals(0, node.cpu.containersOf("bob"));
    }
}
