package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.ContainerSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Every container this node runs, whatever its state, with the budget they draw on: a container
 * is reserved in {@link Capacity} before it is created or resized, tracked while it lives, and
 * released when it is removed. When the budget is full, {@code makeRoom} (the pool's eviction of
 * an idle container) is asked once before a call is refused.
 */
final class Fleet {

    private final ContainerFactory factory;
    private final ContainerEngine engine;
    private final Capacity capacity;
    private final Executor background;
    private final Map<String, ContainerHandle> live = new ConcurrentHashMap<>();

    Fleet(ContainerFactory factory, ContainerEngine engine, Capacity capacity, Executor background) {
        this.factory = factory;
        this.engine = engine;
        this.capacity = capacity;
        this.background = background;
    }

    ContainerFactory.Template runtime(dev.hearth.poolmanager.Language language) {
        return factory.runtime(language);
    }

    ContainerSpec oneOff(String image, Map<String, String> env, int memoryMb, boolean egress, String owner) {
        return factory.oneOff(image, env, memoryMb, egress, owner);
    }

    /** A pooled container now serves {@code owner}: it counts among that user's containers for CPU. */
    void claim(ContainerHandle container, String owner) {
        factory.claim(container, owner);
    }

    /** A one-off container from {@link #oneOff} has run (or never started): its user's CPU share is given back. */
    void oneOffDone(ContainerSpec spec) {
        factory.oneOffDone(spec);
    }

    boolean reserve(int memoryMb) {
        return capacity.tryReserve(memoryMb);
    }

    void release(int memoryMb) {
        capacity.release(memoryMb);
    }

    int containers() {
        return capacity.containers();
    }

    /** Starts a container whose reservation the caller already holds; releases it on failure. */
    ContainerHandle start(ContainerFactory.Template template, int memoryMb, boolean egress)
            throws IOException, TimeoutException, InterruptedException {
        try {
            ContainerHandle container = factory.start(template, memoryMb, egress);
            live.put(container.id(), container);
            return container;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            capacity.release(memoryMb);
            throw e;
        }
    }

    /**
     * Reserves room (making some if it can) and starts a container for one call.
     *
     * @throws IOException      the container could not be created, or exited before it answered
     * @throws TimeoutException it never answered on its socket
     */
    ContainerHandle startFor(ContainerFactory.Template template, int memoryMb, boolean egress, BooleanSupplier makeRoom)
            throws IOException, TimeoutException, InterruptedException {
        reserveOrRefuse(memoryMb, makeRoom);
        return start(template, memoryMb, egress);
    }

    /**
     * Runs a one-off container within the budget: reserved before it is created, released once
     * the engine has removed it.
     */
    ContainerEngine.AttachedResult runOnce(ContainerSpec spec, byte[] stdin, Duration timeout, ContainerEngine.Streams streams,
                                           BooleanSupplier makeRoom) throws IOException, InterruptedException {
        reserveOrRefuse(spec.memoryMb(), makeRoom);
        try {
            return engine.runAttached(spec, stdin, timeout, streams);
        } finally {
            capacity.release(spec.memoryMb());
        }
    }

    private void reserveOrRefuse(int memoryMb, BooleanSupplier makeRoom) {
        if (!reserve(memoryMb) && !(makeRoom.getAsBoolean() && reserve(memoryMb))) {
            throw PoolException.atCapacity("this node runs as many containers or as much container memory as it may");
        }
    }

    /**
     * Gives a container another memory limit within the budget; the accounting moves first and
     * moves back if the engine refuses.
     */
    ContainerHandle resize(ContainerHandle container, int memoryMb, BooleanSupplier makeRoom) {
        int from = container.memoryMb();
        if (!capacity.tryResize(from, memoryMb) && !(makeRoom.getAsBoolean() && capacity.tryResize(from, memoryMb))) {
            throw PoolException.atCapacity("this node has no container memory left for " + memoryMb + " MiB");
        }
        try {
            engine.resize(container.id(), memoryMb);
        } catch (RuntimeException e) {
            capacity.tryResize(memoryMb, from);
            throw e;
        }
        ContainerHandle resized = container.withMemory(memoryMb);
        live.put(resized.id(), resized);
        return resized;
    }

    /** Forgets a container now and removes it in the background. */
    void discard(ContainerHandle container) {
        if (live.remove(container.id()) == null) {
            return;
        }
        capacity.release(container.memoryMb());
        try {
            background.execute(() -> factory.remove(container));
        } catch (RejectedExecutionException e) {
            factory.remove(container);
        }
    }

    /** Forgets a container and removes it before returning. */
    void remove(ContainerHandle container) {
        if (live.remove(container.id()) != null) {
            capacity.release(container.memoryMb());
            factory.remove(container);
        }
    }

    /** Removes every container still tracked, in parallel; returns how many. */
    int removeAll() {
        List<ContainerHandle> remaining = List.copyOf(live.values());
        live.clear();
        ExecutorService removers = Executors.newFixedThreadPool(8);
        remaining.forEach(c -> removers.execute(() -> factory.remove(c)));
        removers.shutdown();
        try {
            removers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return remaining.size();
    }
}
