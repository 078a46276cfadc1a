package dev.hearth.poolmanager.fakes;

import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.ContainerSpec;
import dev.hearth.poolmanager.docker.JobSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container engine in memory, for unit tests of the pool: it records what it is asked and
 * runs nothing. Hooks let a test act as the container would (bind the agent's socket in the
 * host folder, fail a start) or script what the engine answers.
 */
public final class FakeEngine implements ContainerEngine {

    /** What a test does when a container "starts"; throw to make the start fail. */
    @FunctionalInterface
    public interface OnStart {
        void started(String id, ContainerSpec spec) throws Exception;
    }

    @FunctionalInterface
    public interface AttachedRun {
        AttachedResult run(ContainerSpec spec, byte[] stdin, Streams streams) throws IOException, InterruptedException;
    }

    private final AtomicInteger ids = new AtomicInteger();
    /** Containers started and not removed, by id. */
    public final Map<String, ContainerSpec> running = new ConcurrentHashMap<>();
    public final List<ContainerSpec> started = new CopyOnWriteArrayList<>();
    public final List<String> removed = new CopyOnWriteArrayList<>();
    public final Map<String, Integer> memoryMb = new ConcurrentHashMap<>();
    public final Map<String, Integer> cpuShares = new ConcurrentHashMap<>();
    public final Set<String> images = ConcurrentHashMap.newKeySet();
    public final Set<String> pulled = ConcurrentHashMap.newKeySet();
    public final Set<String> oomKilled = ConcurrentHashMap.newKeySet();
    public final Map<String, Integer> exited = new ConcurrentHashMap<>();
    public final Map<String, String> logs = new ConcurrentHashMap<>();
    public volatile OnStart onStart = (id, spec) -> {};
    public volatile AttachedRun attached = (spec, stdin, streams) -> new AttachedResult(0, false, false, 0);
    public volatile boolean allImagesExist = true;
    public volatile boolean closed;

    @Override
    public String start(ContainerSpec spec) {
        String id = "fake-" + ids.incrementAndGet();
        started.add(spec);
        running.put(id, spec);
        memoryMb.put(id, spec.memoryMb());
        try {
            onStart.started(id, spec);
        } catch (RuntimeException e) {
            running.remove(id);
            throw e;
        } catch (Exception e) {
            running.remove(id);
            throw new IllegalStateException(e.getMessage(), e);
        }
        return id;
    }

    @Override
    public AttachedResult runAttached(ContainerSpec spec, byte[] stdin, Duration timeout, Streams streams)
            throws IOException, InterruptedException {
        started.add(spec);
        return attached.run(spec, stdin, streams);
    }

    @Override
    public void pull(String image, Duration timeout) {
        pulled.add(image);
        images.add(image);
    }

    @Override
    public JobSpec.Result runJob(JobSpec spec) {
        throw new UnsupportedOperationException("jobs are not faked");
    }

    @Override
    public void resize(String containerId, int memoryMb) {
        this.memoryMb.put(containerId, memoryMb);
    }

    @Override
    public void setCpuShares(String container, int shares) {
        cpuShares.put(container, shares);
    }

    @Override
    public void remove(String containerId) {
        removed.add(containerId);
        running.remove(containerId);
    }

    @Override
    public List<String> findByLabel(String label, String value) {
        return running.entrySet().stream()
                .filter(e -> value.equals(e.getValue().labels().get(label)))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public boolean imageExists(String image) {
        return allImagesExist || images.contains(image);
    }

    @Override
    public boolean killedForMemory(String containerId) {
        return oomKilled.contains(containerId);
    }

    @Override
    public OptionalInt exitStatus(String containerId) {
        Integer status = exited.get(containerId);
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    @Override
    public String logTail(String containerId, int lines) {
        return logs.getOrDefault(containerId, "");
    }

    @Override
    public String imageId(String image) {
        return "sha256:" + Integer.toHexString(image.hashCode());
    }

    @Override
    public void close() {
        closed = true;
    }
}
