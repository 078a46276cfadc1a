package dev.hearth.poolmanager.docker;

import java.util.List;

/** The container operations the pool needs; {@link DockerEngine} is the real one. */
public interface ContainerEngine extends AutoCloseable {

    /** Creates and starts a container; returns its id. */
    String start(ContainerSpec spec);

    /** Runs a job container to its end (or its timeout), collects its output and removes it. */
    JobSpec.Result runJob(JobSpec spec) throws InterruptedException;

    /** Changes a running container's memory limit (memory and swap alike). */
    void resize(String containerId, int memoryMb);

    /** Kills and removes a container; a container already gone is not an error. */
    void remove(String containerId);

    /** Ids of containers, running or not, that carry this label with this value. */
    List<String> findByLabel(String label, String value);

    boolean imageExists(String image);

    /**
     * Whether the kernel's out-of-memory killer ended the container's process; waits briefly for
     * the container to exit, so call it only once a call has already failed.
     */
    boolean killedForMemory(String containerId);

    /** The image's content id ({@code sha256:…}), which changes whenever the image is rebuilt differently. */
    String imageId(String image);

    @Override
    void close();
}
