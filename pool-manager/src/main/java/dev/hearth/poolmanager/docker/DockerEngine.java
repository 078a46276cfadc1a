package dev.hearth.poolmanager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import java.io.IOException;
import java.net.URI;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerEngine} over the Docker Engine API (docker-java with the Apache HttpClient 5 transport). */
public final class DockerEngine implements ContainerEngine {

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
    private static final long MIB = 1024L * 1024L;

    private final DockerClient docker;
    private final URI dockerHost;
    /** {@code uid:gid} every container runs as, whatever its image says. */
    private final String user;
    /** Feeds attached containers' stdin, so a full pipe never stalls the reading of their output. */
    private final ExecutorService stdinWriters = Executors.newCachedThreadPool(daemon("docker-stdin"));
    /** Kills attached containers that outlive their timeout. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(daemon("docker-deadline"));

    /**
     * @param containerUid the uid, and gid, of every container this engine creates (never root)
     */
    public DockerEngine(String dockerHost, int containerUid) {
        if (containerUid < 1) {
            throw new IllegalArgumentException("containers never run as root");
        }
        this.user = containerUid + ":" + containerUid;
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
        this.dockerHost = config.getDockerHost();
        var http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
    }

    /** For {@link EgressNetwork}, which owns the network calls. */
    DockerClient client() {
        return docker;
    }

    /** Fails fast, with the engine's own words, when Docker cannot be reached. */
    public void ping() {
        docker.pingCmd().exec();
    }

    @Override
    public String start(ContainerSpec spec) {
        String id = create(spec).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            remove(id);
            throw e;
        }
        return id;
    }

    /** The hardened container every function gets; see {@link ContainerSpec}. */
    private CreateContainerCmd create(ContainerSpec spec) {
        long memory = spec.memoryMb() * MIB;
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.network())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,noexec,size=" + spec.tmpfsMb() + "m"))
                .withShmSize(spec.tmpfsMb() * MIB)
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs(spec.nanoCpus())
                .withPidsLimit(spec.pidsLimit())
                // A minimal init as PID 1 reaps whatever a function forks and forwards signals.
                .withInit(true)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "1m", "max-file", "1")));
        if (spec.cpuShares() > 0) {
            host.withCpuShares(spec.cpuShares());
        }
        if (spec.hostDir() != null) {
            host.withBinds(new Bind(spec.hostDir().toString(), new Volume(ContainerSpec.MOUNT_POINT)));
        }
        return docker.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withUser(user)
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withNetworkDisabled(!spec.egress())
                .withHostConfig(host);
    }

    @Override
    public AttachedResult runAttached(ContainerSpec spec, byte[] stdin, Duration timeout, Streams streams)
            throws IOException, InterruptedException {
        long begun = System.nanoTime();
        String id = create(spec)
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
            long startMicros = (System.nanoTime() - begun) / 1_000;
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
            return new AttachedResult(timedOut.get() || exit == null ? -1 : exit, timedOut.get(), oom, startMicros);
        } finally {
            remove(id);
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
    public void pull(String image, Duration timeout) throws IOException, InterruptedException {
        int at = image.lastIndexOf(':');
        boolean tagged = at > image.lastIndexOf('/') || image.contains("@");
        try {
            var pull = docker.pullImageCmd(image);
            if (!tagged) {
                pull.withTag("latest");
            }
            if (!pull.start().awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("pulling " + image + " took longer than " + timeout.toSeconds() + " s");
            }
        } catch (RuntimeException e) {
            throw new IOException(engineMessage(e), e);
        }
    }

    /** The engine's own words from an error such as {@code Status 500: {"message":"..."}}. */
    private static String engineMessage(RuntimeException e) {
        String text = String.valueOf(e.getMessage());
        int json = text.indexOf('{');
        if (json >= 0) {
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text.substring(json));
                if (node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (IOException notJson) {
                // the message as it came
            }
        }
        return text.strip();
    }

    @Override
    public JobSpec.Result runJob(JobSpec spec) throws InterruptedException {
        long memory = spec.memoryMb() * MIB;
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.network())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,noexec,size=" + spec.tmpfsMb() + "m"))
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs(spec.nanoCpus())
                .withPidsLimit(spec.pidsLimit())
                // As in function containers: build tools fork (npm scripts, Maven forks), and their orphans need a reaper.
                .withInit(true)
                .withBinds(spec.binds().entrySet().stream().map(b -> Bind.parse(b.getKey() + ":" + b.getValue())).toList())
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "8m", "max-file", "1")));
        String id = docker.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withUser(user)
                .withCmd(spec.command())
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withHostConfig(host)
                .exec()
                .getId();
        try {
            docker.startContainerCmd(id).exec();
            Integer exit = null;
            try {
                exit = docker.waitContainerCmd(id).start().awaitStatusCode(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (DockerClientException e) {
                log.info("job {} ran past its timeout of {}; killing it", spec.name(), spec.timeout());
                docker.killContainerCmd(id).exec();
            }
            return new JobSpec.Result(exit == null ? -1 : exit, exit == null, logsOf(id, spec.maxLogBytes()));
        } finally {
            remove(id);
        }
    }

    @Override
    public OptionalInt exitStatus(String containerId) {
        var state = docker.inspectContainerCmd(containerId).exec().getState();
        if (Boolean.TRUE.equals(state.getRunning()) || state.getExitCodeLong() == null) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(state.getExitCodeLong().intValue());
    }

    @Override
    public String logTail(String containerId, int lines) throws InterruptedException {
        return logsOf(containerId, 8 * 1024, lines);
    }

    private String logsOf(String id, int maxBytes) throws InterruptedException {
        return logsOf(id, maxBytes, -1);
    }

    private String logsOf(String id, int maxBytes, int tail) throws InterruptedException {
        var out = new java.io.ByteArrayOutputStream();
        int[] dropped = {0};
        var command = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false);
        if (tail > 0) {
            command.withTail(tail);
        }
        command.exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        byte[] payload = frame.getPayload();
                        int room = maxBytes - out.size();
                        if (room >= payload.length) {
                            out.write(payload, 0, payload.length);
                        } else {
                            out.write(payload, 0, Math.max(room, 0));
                            dropped[0] += payload.length - Math.max(room, 0);
                        }
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        return dropped[0] == 0 ? text : text + "\n[hearth] log truncated: " + dropped[0] + " bytes dropped\n";
    }

    @Override
    public void resize(String containerId, int memoryMb) {
        long memory = memoryMb * MIB;
        docker.updateContainerCmd(containerId).withMemory(memory).withMemorySwap(memory).exec();
    }

    @Override
    public void setCpuShares(String container, int shares) {
        docker.updateContainerCmd(container).withCpuShares(shares).exec();
    }

    @Override
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            log.debug("container {} already gone", containerId);
        }
    }

    @Override
    public List<String> findByLabel(String label, String value) {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(label, value))
                .exec()
                .stream()
                .map(Container::getId)
                .toList();
    }

    @Override
    public boolean imageExists(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (BadRequestException e) {
            // A reference this engine cannot read (older engines refuse IPv6 registries) names no image it holds.
            return false;
        }
    }

    @Override
    public boolean killedForMemory(String containerId) {
        try {
            // The engine records an OOM kill when the container exits, a moment after its process died.
            try {
                docker.waitContainerCmd(containerId).start().awaitStatusCode(2, TimeUnit.SECONDS);
            } catch (DockerClientException e) {
                return false;
            }
            var state = docker.inspectContainerCmd(containerId).exec().getState();
            return Boolean.TRUE.equals(state.getOOMKilled());
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String imageId(String image) {
        return docker.inspectImageCmd(image).exec().getId();
    }

    @Override
    public void close() {
        stdinWriters.shutdownNow();
        deadlines.shutdownNow();
        try {
            docker.close();
        } catch (IOException e) {
            log.warn("closing the Docker client failed", e);
        }
    }
}
