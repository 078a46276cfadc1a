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
import java.util.function.LongSupplier;

/**
 * The containers this node keeps (pre-started, specialized, image servers), whatever their
 * state, and the budget they draw on with the one-off {@code exec} containers, which are counted
 * while they run but never tracked here. A container is reserved in {@link Capacity} before it is
 * created or resized, tracked while it lives, and released when it is removed, always under the
 * owner it counts for (a generic pre-started container is {@link FairShare#POOL}'s until a
 * function takes it). When the budget is full, the {@link RoomMaker} is asked once to make room
 * (evicting an idle container by fair share) before a start is refused; a refused call leaves a
 * claim on the room that comes free next.
 */
final class Fleet {

    private final ContainerFactory factory;
    private final ContainerEngine engine;
    private final Capacity capacity;
    private final Executor background;
    private final RoomMaker makeRoom;
    private final LongSupplier nanos;
    private final Map<String, ContainerHandle> live = new ConcurrentHashMap<>();
    /** Container id to the owner its reservation counts for. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    Fleet(ContainerFactory factory, ContainerEngine engine, Capacity capacity, Executor background, RoomMaker makeRoom,
          LongSupplier nanos) {
        this.factory = factory;
        this.engine = engine;
        this.capacity = capacity;
        this.background = background;
        this.makeRoom = makeRoom;
        this.nanos = nanos;
    }

    ContainerFactory.Template runtime(dev.hearth.poolmanager.Language language) {
        return factory.runtime(language);
    }

    ContainerSpec oneOff(String image, Map<String, String> env, int memoryMb, boolean egress, String owner) {
        return factory.oneOff(image, env, memoryMb, egress, owner);
    }

    /** A one-off container from {@link #oneOff} has run (or never started): its user's CPU share is given back. */
    void oneOffDone(ContainerSpec spec) {
        factory.oneOffDone(spec);
    }

    /** Reserves room for a generic pre-started container, never ahead of a waiting call. */
    boolean reservePooled(int memoryMb) {
        return capacity.tryReserve(FairShare.POOL, memoryMb, nanos.getAsLong());
    }

    void releasePooled(int memoryMb) {
        capacity.release(FairShare.POOL, memoryMb);
    }

    /**
     * A generic container taken for a function is its owner's from now on: counted in its
     * owner's share of the node, and weighted as one of its owner's containers for the CPU.
     */
    void assign(ContainerHandle container, String owner) {
        factory.claim(container, owner);
        String before = owners.replace(container.id(), owner);
        if (before != null && !before.equals(owner)) {
            capacity.move(before, owner, container.memoryMb());
        }
    }

    /** Whether a container that just finished a call should be removed so a waiting call of another owner gets its room. */
    boolean yields(ContainerHandle container) {
        String owner = owners.get(container.id());
        return owner != null && capacity.yields(owner, container.memoryMb(), nanos.getAsLong());
    }

    /** What each owner holds, for the pool's eviction decisions. */
    Map<String, FairShare.Usage> held() {
        return capacity.held();
    }

    int containers() {
        return capacity.containers();
    }

    /** How many more containers of {@code memoryMb} the node has room for now. */
    int freeSlots(int memoryMb) {
        return capacity.free(memoryMb);
    }

    /** Starts a container whose reservation (for {@code owner}) the caller already holds; releases it on failure. */
    ContainerHandle start(ContainerFactory.Template template, String owner, int memoryMb, boolean egress)
            throws IOException, TimeoutException, InterruptedException {
        try {
            ContainerHandle container = factory.start(template, memoryMb, egress);
            owners.put(container.id(), owner);
            live.put(container.id(), container);
            return container;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            capacity.release(owner, memoryMb);
            throw e;
        }
    }

    /**
     * Reserves room (making some if it can) and starts a container for one call.
     *
     * @throws IOException      the container could not be created, or exited before it answered
     * @throws TimeoutException it never answered on its socket
     */
    ContainerHandle startFor(ContainerFactory.Template template, int memoryMb, boolean egress, Demand demand)
            throws IOException, TimeoutException, InterruptedException {
        reserveOrRefuse(memoryMb, demand);
        return start(template, demand.owner(), memoryMb, egress);
    }

    /**
     * Runs a one-off container within the budget: reserved before it is created, released once
     * the engine has removed it.
     */
    ContainerEngine.AttachedResult runOnce(ContainerSpec spec, byte[] stdin, Duration timeout, ContainerEngine.Streams streams,
                                           Demand demand) throws IOException, InterruptedException {
        reserveOrRefuse(spec.memoryMb(), demand);
        try {
            return engine.runAttached(spec, stdin, timeout, streams);
        } finally {
            capacity.release(demand.owner(), spec.memoryMb());
        }
    }

    private void reserveOrRefuse(int memoryMb, Demand demand) {
        String owner = demand.owner();
        if (!capacity.tryReserve(owner, memoryMb, nanos.getAsLong())
                && !(makeRoom.makeRoom(owner, memoryMb) && capacity.tryReserve(owner, memoryMb, nanos.getAsLong()))) {
            if (demand.waiting()) {
                capacity.claim(owner, memoryMb, nanos.getAsLong());
            }
            throw PoolException.atCapacity("this node runs as many containers or as much container memory as it may");
        }
        demand.roomFound().run();
    }

    /**
     * Gives a container another memory limit within the budget; the accounting moves first and
     * moves back if the engine refuses.
     */
    ContainerHandle resize(ContainerHandle container, int memoryMb, Demand demand) {
        int from = container.memoryMb();
        String owner = owners.getOrDefault(container.id(), demand.owner());
        if (!capacity.tryResize(owner, from, memoryMb)
                && !(makeRoom.makeRoom(owner, memoryMb - from) && capacity.tryResize(owner, from, memoryMb))) {
            throw PoolException.atCapacity("this node has no container memory left for " + memoryMb + " MiB");
        }
        try {
            engine.resize(container.id(), memoryMb);
        } catch (RuntimeException e) {
            capacity.tryResize(owner, memoryMb, from);
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
        capacity.release(ownerOf(container), container.memoryMb());
        try {
            background.execute(() -> factory.remove(container));
        } catch (RejectedExecutionException e) {
            factory.remove(container);
        }
    }

    /** Forgets a container and removes it before returning. */
    void remove(ContainerHandle container) {
        if (live.remove(container.id()) != null) {
            capacity.release(ownerOf(container), container.memoryMb());
            factory.remove(container);
        }
    }

    private String ownerOf(ContainerHandle container) {
        String owner = owners.remove(container.id());
        return owner == null ? FairShare.POOL : owner;
    }

    /** Removes every container still tracked, in parallel; returns how many. */
    int removeAll() {
        List<ContainerHandle> remaining = List.copyOf(live.values());
        live.clear();
        owners.clear();
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
