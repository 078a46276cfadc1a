package dev.hearth.controlplane;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Direct access to the Docker engine, so tests check containers themselves, not Hearth's word. */
final class Docker {

    static final DockerClient CLIENT = client();

    private Docker() {}

    private static DockerClient client() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
        return DockerClientImpl.getInstance(config, http);
    }

    static List<Container> containersOf(String nodeId) {
        return CLIENT.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("dev.hearth.node", nodeId)).exec();
    }

    /**
     * Builds a small image for a test from a Dockerfile's text (its base must be on this machine,
     * as {@code hearth/base:trixie} is after {@code ./hearth}); returns the tag.
     */
    static String buildImage(String tag, String dockerfile) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("hearth-image");
        try {
            java.nio.file.Files.writeString(dir.resolve("Dockerfile"), dockerfile);
            CLIENT.buildImageCmd(dir.toFile()).withTags(java.util.Set.of(tag)).withPull(false)
                    .start().awaitImageId(120, java.util.concurrent.TimeUnit.SECONDS);
            return tag;
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Polls until the condition holds; false if it never did within the timeout. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
