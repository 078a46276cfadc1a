package dev.hearth.poolmanager.docker;

import java.util.List;

/** The container operations the pool needs; {@link DockerEngine} is the real one. */
public interface ContainerEngine extends AutoCloseable {

    /** Creates and starts a container; returns its id. */
    String start(ContainerSpec spec);

    /** Receives an attached container's output, chunk by chunk, as it arrives. */
    interface Streams {
        void stdout(byte[] bytes);

        void stderr(byte[] bytes);
    }

    /**
     * How an attached run ended.
     *
     * @param exitCode    the process's exit status, or -1 when unknown (killed at the timeout)
     * @param oomKilled   the kernel's out-of-memory killer ended it
     * @param startMicros time from the request to the container running (create, attach, start)
     */
    record AttachedResult(int exitCode, boolean timedOut, boolean oomKilled, long startMicros) {}

    /**
     * Creates a container, attaches to it, starts it, writes {@code stdin} and closes it (the
     * process reads end of file), hands stdout and stderr to {@code streams} until the process
     * ends or {@code timeout} passes (then it is killed), and removes the container.
     */
    AttachedResult runAttached(ContainerSpec spec, byte[] stdin, java.time.Duration timeout, Streams streams)
            throws java.io.IOException, InterruptedException;

    /** Pulls an image from its registry; throws with the engine's reason when it cannot. */
    void pull(String image, java.time.Duration timeout) throws java.io.IOException, InterruptedException;

    /** Runs a job container to its end (or its timeout), collects its output and removes it. */
    JobSpec.Result runJob(JobSpec spec) throws InterruptedException;

    /**
     * As {@link #runJob(JobSpec)}, handing each line of output to {@code lines} as the job writes
     * it (while it runs, on a thread of the engine's): the lines {@link JobSpec.Result#log()} keeps,
     * in its order, without their line feeds. This default hands them out once the job has ended.
     */
    default JobSpec.Result runJob(JobSpec spec, java.util.function.Consumer<String> lines) throws InterruptedException {
        JobSpec.Result result = runJob(spec);
        if (!result.log().isEmpty()) {
            for (String line : result.log().split("\n")) {
                lines.accept(line);
            }
        }
        return result;
    }

    /** Changes a running container's memory limit (memory and swap alike). */
    void resize(String containerId, int memoryMb);

    /**
     * Changes a running container's CPU weight ({@code cpu.shares} on cgroup v1, the matching
     * {@code cpu.weight} on v2), leaving its other limits as they are.
     *
     * @param container the container's id or name
     */
    void setCpuShares(String container, int shares);

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

    /**
     * The exit status of a container that has stopped, or empty while it runs.
     */
    java.util.OptionalInt exitStatus(String containerId);

    /** The last lines a container wrote to stdout and stderr, for telling why it failed. */
    String logTail(String containerId, int lines) throws InterruptedException;

    /** The image's content id ({@code sha256:…}), which changes whenever the image is rebuilt differently. */
    String imageId(String image);

    @Override
    void close();
}
