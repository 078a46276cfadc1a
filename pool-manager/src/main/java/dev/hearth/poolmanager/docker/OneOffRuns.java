package dev.hearth.poolmanager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerClientException;
import dev.hearth.poolmanager.support.Threads;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers that run one process to its end and are removed, whatever happens: attached runs
 * (an {@code exec} image function, stdin in and output streamed out) and jobs (builds, their log
 * collected). Both are hardened as every container is ({@link Hardening}) and killed at their timeout.
 */
final class OneOffRuns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OneOffRuns.class);

    private final DockerClient docker;
    private final URI dockerHost;
    private final Hardening hardening;
    private final Consumer<String> remove;
    private final LongSupplier nanos;
    /** Feeds attached containers' stdin, so a full pipe never stalls the reading of their output. */
    private final ExecutorService stdinWriters = Executors.newCachedThreadPool(Threads.daemon("docker-stdin"));
    /** Kills attached containers that outlive their timeout. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(Threads.daemon("docker-deadline"));

    /**
     * @param remove kills and removes a container, one already gone included
     * @param nanos  a monotonic clock in nanoseconds ({@code System::nanoTime}) an attached run's start is timed on
     */
    OneOffRuns(DockerClient docker, URI dockerHost, Hardening hardening, Consumer<String> remove, LongSupplier nanos) {
        this.docker = docker;
        this.dockerHost = dockerHost;
        this.hardening = hardening;
        this.remove = remove;
        this.nanos = nanos;
    }

    /** See {@link ContainerEngine#runAttached}. */
    ContainerEngine.AttachedResult runAttached(ContainerSpec spec, byte[] stdin, Duration timeout, ContainerEngine.Streams streams)
            throws IOException, InterruptedException {
        long begun = nanos.getAsLong();
        String id = hardening.container(docker.createContainerCmd(spec.image()), spec)
                .withTty(false)
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withStdinOpen(true)
                .withStdInOnce(true)
                .exec()
                .getId();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (HijackedAttach attach = HijackedAttach.open(dockerHost, id)) {
            docker.startContainerCmd(id).exec();
            long startMicros = (nanos.getAsLong() - begun) / 1_000;
            ScheduledFuture<?> deadline = deadlines.schedule(() -> {
                timedOut.set(true);
                kill(id);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            Future<?> writer = stdinWriters.submit(() -> {
                try {
                    attach.sendStdin(stdin);
                } catch (IOException e) {
                    // The process ended or closed stdin without reading all of it: its choice.
                    log.debug("stdin of {} not fully written: {}", spec.name(), e.getMessage());
                }
            });
            try {
                attach.pump(streams);
            } finally {
                deadline.cancel(false);
                writer.cancel(true);
            }
            Integer exit = null;
            boolean oom = false;
            try {
                exit = docker.waitContainerCmd(id).start().awaitStatusCode(5, TimeUnit.SECONDS);
                oom = Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getOOMKilled());
            } catch (DockerClientException e) {
                log.warn("container {} did not report its exit: {}", spec.name(), e.getMessage());
            }
            return new ContainerEngine.AttachedResult(timedOut.get() || exit == null ? -1 : exit, timedOut.get(), oom, startMicros);
        } finally {
            remove.accept(id);
        }
    }

    /** See {@link ContainerEngine#runJob}. */
    JobSpec.Result runJob(JobSpec spec) throws InterruptedException {
        String id = hardening.job(docker.createContainerCmd(spec.image()), spec).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            Integer exit = null;
            try {
                exit = docker.waitContainerCmd(id).start().awaitStatusCode(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (DockerClientException e) {
                log.info("job {} ran past its timeout of {}; killing it", spec.name(), spec.timeout());
                docker.killContainerCmd(id).exec();
            }
            return new JobSpec.Result(exit == null ? -1 : exit, exit == null, ContainerLogs.read(docker, id, spec.maxLogBytes(), -1));
        } finally {
            remove.accept(id);
        }
    }

    private void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (RuntimeException e) {
            log.debug("cannot kill {} (already ended?): {}", id, e.getMessage());
        }
    }

    @Override
    public void close() {
        stdinWriters.shutdownNow();
        deadlines.shutdownNow();
    }
}
