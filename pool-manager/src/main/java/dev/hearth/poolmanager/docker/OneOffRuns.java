package dev.hearth.poolmanager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
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
 * followed as they write it). Both are hardened as every container is ({@link Hardening}) and killed at their timeout.
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

    /**
     * See {@link ContainerEngine#runJob(JobSpec, Consumer)}. The log is followed from the start
     * while the job runs; should the follow break off before the job ends, the engine's copy is
     * read again once it has, past what was already had, so no line is lost or handed out twice.
     */
    JobSpec.Result runJob(JobSpec spec, Consumer<String> lines) throws InterruptedException {
        String id = hardening.job(docker.createContainerCmd(spec.image()), spec).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            JobLog output = new JobLog(spec.maxLogBytes(), lines);
            var following = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            output.append(frame.getStreamType() == StreamType.STDERR, frame.getPayload());
                        }
                    });
            Integer exit = null;
            try {
                exit = docker.waitContainerCmd(id).start().awaitStatusCode(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (DockerClientException e) {
                log.info("job {} ran past its timeout of {}; killing it", spec.name(), spec.timeout());
                docker.killContainerCmd(id).exec();
            }
            if (!followedToTheEnd(following)) {
                readRest(id, output);
            }
            return new JobSpec.Result(exit == null ? -1 : exit, exit == null, output.finish());
        } finally {
            remove.accept(id);
        }
    }

    /** Whether the follow ended by itself (the job's output ended) rather than broke off. */
    private boolean followedToTheEnd(ResultCallback.Adapter<Frame> following) throws InterruptedException {
        try {
            return following.awaitCompletion(30, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.info("following a job's log broke off ({}); reading the rest from the engine", e.getMessage());
            return false;
        } finally {
            try {
                following.close();
            } catch (IOException e) {
                log.debug("closing a job's log follow: {}", e.getMessage());
            }
        }
    }

    /** The engine's copy of an ended job's output, past the bytes of each stream already had. */
    private void readRest(String id, JobLog output) throws InterruptedException {
        long[] skip = {output.seen(false), output.seen(true)};
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        boolean stderr = frame.getStreamType() == StreamType.STDERR;
                        byte[] payload = frame.getPayload();
                        int from = (int) Math.min(payload.length, skip[stderr ? 1 : 0]);
                        skip[stderr ? 1 : 0] -= from;
                        if (from < payload.length) {
                            output.append(stderr, java.util.Arrays.copyOfRange(payload, from, payload.length));
                        }
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
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
