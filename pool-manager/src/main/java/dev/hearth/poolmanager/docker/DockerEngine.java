package dev.hearth.poolmanager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerEngine} over the Docker Engine API (docker-java with the Apache HttpClient 5
 * transport): long-lived containers and images here, containers run to their end in
 * {@link OneOffRuns}, every container hardened by {@link Hardening}.
 */
public final class DockerEngine implements ContainerEngine {

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
    private static final long MIB = 1024L * 1024L;

    private final DockerClient docker;
    private final Hardening hardening;
    private final OneOffRuns oneOff;

    /**
     * @param containerUid the uid, and gid, of every container this engine creates (never root)
     * @param nanos        a monotonic clock in nanoseconds ({@code System::nanoTime}) for the timings of one-off runs
     */
    public DockerEngine(String dockerHost, int containerUid, LongSupplier nanos) {
        this.hardening = new Hardening(containerUid);
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
        var http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
        this.oneOff = new OneOffRuns(docker, config.getDockerHost(), hardening, this::remove, nanos);
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
        String id = hardening.container(docker.createContainerCmd(spec.image()), spec).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            remove(id);
            throw e;
        }
        return id;
    }

    @Override
    public AttachedResult runAttached(ContainerSpec spec, byte[] stdin, Duration timeout, Streams streams)
            throws IOException, InterruptedException {
        return oneOff.runAttached(spec, stdin, timeout, streams);
    }

    @Override
    public JobSpec.Result runJob(JobSpec spec) throws InterruptedException {
        return oneOff.runJob(spec, line -> {});
    }

    @Override
    public JobSpec.Result runJob(JobSpec spec, java.util.function.Consumer<String> lines) throws InterruptedException {
        return oneOff.runJob(spec, lines);
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
    public OptionalInt exitStatus(String containerId) {
        var state = docker.inspectContainerCmd(containerId).exec().getState();
        if (Boolean.TRUE.equals(state.getRunning()) || state.getExitCodeLong() == null) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(state.getExitCodeLong().intValue());
    }

    @Override
    public String logTail(String containerId, int lines) throws InterruptedException {
        return ContainerLogs.read(docker, containerId, 8 * 1024, lines);
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

    @Override
    public String imageId(String image) {
        return docker.inspectImageCmd(image).exec().getId();
    }

    @Override
    public void close() {
        oneOff.close();
        try {
            docker.close();
        } catch (IOException e) {
            log.warn("closing the Docker client failed", e);
        }
    }
}
