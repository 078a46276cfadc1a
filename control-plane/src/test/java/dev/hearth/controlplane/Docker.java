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
