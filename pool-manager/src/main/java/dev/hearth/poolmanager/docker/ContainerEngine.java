package dev.hearth.poolmanager.docker;

import java.util.List;

/** The container operations the pool needs; {@link DockerEngine} is the real one. */
public interface ContainerEngine extends AutoCloseable {

    /** Creates and starts a container; returns its id. */
    String start(ContainerSpec spec);

    /** Changes a running container's memory limit (memory and swap alike). */
    void resize(String containerId, int memoryMb);

    /** Kills and removes a container; a container already gone is not an error. */
    void remove(String containerId);

    /** Ids of containers, running or not, that carry this label with this value. */
    List<String> findByLabel(String label, String value);

    boolean imageExists(String image);

    @Override
    void close();
}
