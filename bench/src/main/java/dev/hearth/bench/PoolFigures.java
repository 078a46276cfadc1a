package dev.hearth.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.hearth.poolmanager.docker.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pool figures measured outside JMH: how fast a drained pool refills (containers made ready per
 * second) and how much memory a pooled, idle container uses, from its cgroup as {@code docker
 * stats} reports it (usage less inactive file cache).
 */
final class PoolFigures {

    static final int REFILL_TARGET = 10;
    static final int ROUNDS = 3;

    record Figures(double refillPerSec, double idleMemoryMiB) {}

    private PoolFigures() {}

    /**
     * With a full pool of {@link #REFILL_TARGET}, the first calls of that many new functions take
     * every pooled container; the refill rate is how many came back per second, from the first take
     * until the pool is full again, the median of {@link #ROUNDS} rounds. Before the first, the idle
     * memory of the pooled containers.
     */
    static Figures measure(String runtime) throws Exception {
        // The ceiling at the floor: a pool that grew with these first calls would have more to start than it lost.
        var fixedPool = Map.of("HEARTH_POOL_MAX_" + runtime.toUpperCase(Locale.ROOT), Integer.toString(REFILL_TARGET));
        try (var hearth = new BenchHearth(runtime, REFILL_TARGET, fixedPool)) {
            double idleMiB = 0;
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < REFILL_TARGET; i++) {
                    hearth.create("refill-" + round + "-" + i);
                }
                hearth.awaitPoolFull(REFILL_TARGET);
                Thread.sleep(3_000); // let the agents settle into idle
                if (round == 0) {
                    // Measured while every container of the runtime is a pooled one.
                    idleMiB = medianIdleMiB(hearth.nodeId, runtime, Integer.MAX_VALUE);
                }
                long started = System.nanoTime();
                for (int i = 0; i < REFILL_TARGET; i++) {
                    hearth.invoke("refill-" + round + "-" + i);
                }
                hearth.awaitPoolFull(REFILL_TARGET);
                rates.add(REFILL_TARGET / ((System.nanoTime() - started) / 1e9));
            }
            Collections.sort(rates);
            return new Figures(rates.get(ROUNDS / 2), idleMiB);
        }
    }

    /** The median memory in use (less inactive file pages) of at most {@code most} of the node's containers of {@code runtime}. */
    static double medianIdleMiB(String nodeId, String runtime, int most) throws Exception {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        try (DockerClient docker = DockerClientImpl.getInstance(config,
                new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build())) {
            List<Container> pooled = docker.listContainersCmd()
                    .withLabelFilter(Map.of(Labels.NODE, nodeId, "dev.hearth.kind", runtime)).exec();
            pooled = pooled.subList(0, Math.min(most, pooled.size()));
            List<Double> mib = new ArrayList<>();
            for (Container c : pooled) {
                Statistics stats = docker.statsCmd(c.getId()).withNoStream(true)
                        .exec(new ResultCallback.Adapter<Statistics>() {
                            Statistics first;

                            @Override
                            public void onNext(Statistics s) {
                                first = s;
                                super.onNext(s);
                            }

                            Statistics await() throws InterruptedException {
                                awaitCompletion(10, TimeUnit.SECONDS);
                                return first;
                            }
                        }).await();
                if (stats != null && stats.getMemoryStats() != null && stats.getMemoryStats().getUsage() != null) {
                    long usage = stats.getMemoryStats().getUsage();
                    var detail = stats.getMemoryStats().getStats();
                    Long inactive = detail == null ? null : detail.getInactiveFile();
                    mib.add((usage - (inactive == null ? 0 : inactive)) / (1024.0 * 1024.0));
                }
            }
            if (mib.isEmpty()) {
                throw new IllegalStateException("no memory figures for the " + runtime + " pool");
            }
            Collections.sort(mib);
            return mib.get(mib.size() / 2);
        }
    }
}
