package dev.hearth.poolmanager.pool;

import java.nio.file.Path;

/**
 * A container this node started.
 *
 * @param kind     the language id of a runtime container, or {@code image}
 * @param hostDir  the folder mounted at /run/hearth inside it
 * @param memoryMb its current memory limit
 */
record ContainerHandle(String id, String slotId, String kind, Path hostDir, int memoryMb) {

    Path socket() {
        return hostDir.resolve("agent.sock");
    }

    Path codeDir() {
        return hostDir.resolve("code");
    }

    ContainerHandle withMemory(int newMemoryMb) {
        return new ContainerHandle(id, slotId, kind, hostDir, newMemoryMb);
    }
}
