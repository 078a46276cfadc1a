package dev.hearth.poolmanager.pool;

import java.nio.file.Path;

/**
 * A container this node started.
 *
 * @param localId  this node's own name for it: the suffix of the container's name, and its folder's name
 * @param kind     the language id of a runtime container, or {@code image}
 * @param hostDir  the folder mounted at /run/hearth inside it
 * @param memoryMb its current memory limit
 */
record ContainerHandle(String id, String localId, String kind, Path hostDir, int memoryMb) {

    Path socket() {
        return hostDir.resolve("agent.sock");
    }

    Path codeDir() {
        return hostDir.resolve("code");
    }

    ContainerHandle withMemory(int newMemoryMb) {
        return new ContainerHandle(id, localId, kind, hostDir, newMemoryMb);
    }
}
