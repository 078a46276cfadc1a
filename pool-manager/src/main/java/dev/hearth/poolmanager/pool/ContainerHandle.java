package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.Language;
import java.nio.file.Path;

/**
 * A container this node started.
 *
 * @param hostDir  the folder mounted at /run/hearth inside it
 * @param memoryMb its current memory limit
 */
record ContainerHandle(String id, String slotId, Language language, Path hostDir, int memoryMb) {

    Path socket() {
        return hostDir.resolve("agent.sock");
    }

    Path codeDir() {
        return hostDir.resolve("code");
    }

    ContainerHandle withMemory(int newMemoryMb) {
        return new ContainerHandle(id, slotId, language, hostDir, newMemoryMb);
    }
}
