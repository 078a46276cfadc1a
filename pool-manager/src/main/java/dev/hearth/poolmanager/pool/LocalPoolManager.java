package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.code.CodeSource;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.UnixSocketAgentClient;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.CpuShares;
import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.docker.EgressNetwork;
import dev.hearth.poolmanager.host.HostAccounts;
import dev.hearth.poolmanager.image.RegistryGuard;
import dev.hearth.poolmanager.pool.Resting.Warm;
import dev.hearth.poolmanager.support.Threads;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool manager of one node: it builds the pool's parts, starts and stops them, and sends
 * each call its way. Per language it keeps generic containers started ahead of time
 * ({@link PrewarmedPools}); a function's first call specializes one ({@code pool}), later calls
 * reuse it ({@code warm}, from the version's {@link WarmSet} in the {@link WarmRegistry}), and
 * with the pool empty a container is started on the spot ({@code cold}). A call that finds no
 * idle container takes whichever comes first, one freed by another call or one started for it
 * ({@link Acquirer}); {@link CallRunner} runs it and puts the container back or removes it.
 * {@code exec} image functions run in a container of their own per call ({@link ExecRunner}).
 *
 * <p>Each container is owned by whoever removed it from a collection (a version's set, a
 * language's pool, a waiting call's hand-off); each collection guards itself, with a short lock
 * or a concurrent structure, and no lock is ever held across a Docker or agent call.
 */
public final class LocalPoolManager implements PoolManager {

    private static final Logger log = LoggerFactory.getLogger(LocalPoolManager.class);
    /** Beyond a start's ready and init timeouts: making room, resizing, copying code. */
    private static final Duration START_SLACK = Duration.ofSeconds(10);

    private final PoolConfig config;
    private final ContainerEngine engine;
    private final AgentClient agent;
    private final ContainerFactory factory;
    private final Specializer specializer;
    private final CodeCache code;
    private final Acquirer acquirer;
    private final CallRunner calls;
    private final ExecRunner exec;
    private final ImagePuller images;
    private final PrewarmedPools prewarmed;
    private final WarmRegistry registry;
    private final Fleet fleet;
    private final CpuShares cpu;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    /** Runs the pools' container starts, a bounded number at once. */
    private final ExecutorService starts;
    private final LongSupplier nanos;
    private volatile boolean closed;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) for waits and timings */
    LocalPoolManager(PoolConfig config, ContainerEngine engine, AgentClient agent, CodeCache code, Clock clock, LongSupplier nanos) {
        this.config = config;
        this.engine = engine;
        this.agent = agent;
        this.code = code;
        this.nanos = nanos;
        this.cpu = CpuShares.start(config.cpu(), engine);
        this.factory = new ContainerFactory(config, engine, agent, cpu, nanos);
        ObjectMapper json = new ObjectMapper();
        this.specializer = new Specializer(code, agent, json, new LambdaEnv(config.lambda(), clock));
        PoolPolicy policy = new PoolPolicy(config.idleTimeout(), config.maxContainers());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.daemon("pool-reaper"));
        this.workers = Executors.newFixedThreadPool(4, Threads.daemon("pool-worker"));
        FairShare shares = new FairShare(config.maxContainers(), config.maxMemoryMb(), config.shares().provisionedShare());
        // The fleet asks for room, and room is made by removing an idle container through the fleet:
        // the registry exists only after the fleet, so the fleet is given the link to it.
        var room = new RoomLink(config.poolMemoryMb());
        this.fleet = new Fleet(factory, engine, new Capacity(config.maxContainers(), config.maxMemoryMb(), shares), workers,
                room, nanos);
        this.starts = Executors.newFixedThreadPool(config.sizing().startConcurrency(), Threads.daemon("pool-starter"));
        this.prewarmed = new PrewarmedPools(config, policy, fleet, scheduler, starts, clock);
        room.fleet = fleet;
        room.prewarmed = prewarmed;
        Starter starter = new Starter(config, prewarmed, fleet, specializer);
        this.registry = new WarmRegistry(policy, shares, config.idleTimeout().multipliedBy(2), fleet, starter, prewarmed,
                scheduler, workers, clock);
        room.registry = registry;
        this.acquirer = new Acquirer(starter::start, fleet::discard, clock, nanos,
                config.readyTimeout().plus(Specializer.INIT_TIMEOUT).plus(START_SLACK));
        this.calls = new CallRunner(agent, engine, fleet, clock, nanos, config.nodeId());
        this.exec = new ExecRunner(fleet, json, clock, nanos, config.nodeId());
        this.images = new ImagePuller(engine, new RegistryGuard(config.registries(), InetAddress::getAllByName));
    }

    /**
     * Connects to Docker, checks every runtime image exists, removes what a previous run of this
     * node left, and starts filling the pools. Returns at once; {@link #warmedUp()} tells when full.
     */
    public static LocalPoolManager start(PoolConfig config, CodeSource source, Clock clock) throws IOException {
        HostAccounts.requireUnused(config.containerUid(), config.hostEtc());
        LongSupplier nanos = System::nanoTime;
        var engine = new DockerEngine(config.dockerHost(), config.containerUid(), nanos);
        try {
            engine.ping();
            config.runtimes().forEach((language, runtime) -> {
                if (!engine.imageExists(runtime.image())) {
                    throw new IllegalStateException("runtime image " + runtime.image() + " for " + language.id()
                            + " is missing; './hearth up' builds it");
                }
            });
            EgressNetwork.ensure(engine, config.egress());
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        CodeCache code;
        try {
            code = new CodeCache(config.nodeDir().resolve("code"), source, ZipLimits.DEFAULT, config.code(), clock);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        var pool = new LocalPoolManager(config, engine, new UnixSocketAgentClient(), code, clock, nanos);
        pool.begin();
        return pool;
    }

    void begin() throws IOException {
        factory.removeLeftovers();
        prewarmed.refillAll();
        prewarmed.startTicking();
        code.startSweeping();
        registry.startSweeping();
    }

    @Override
    public Invocation invoke(InvokeRequest request) {
        if (closed) {
            throw PoolException.unavailable("the pool manager is shutting down");
        }
        FunctionSpec function = request.function();
        if (function.workload() instanceof Workload.Source source) {
            // Never a revival: a call that raced its version's retirement must not make the node keep its code.
            specializer.use(function, source);
        }
        try {
            if (function.workload() instanceof Workload.Image image && image.contract() == Workload.Contract.EXEC) {
                return exec.run(request, image);
            }
            WarmSet set = registry.setFor(function);
            Warm warm = set.take();
            if (warm != null) {
                return calls.run(set, warm.container(), request, StartKind.WARM, 0);
            }
            long started = nanos.getAsLong();
            Starter.Ready ready = acquirer.acquire(set, function);
            if (ready.failure() != null) {
                return new Invocation(request.invocationId(), ready.kind(), ready.failure(), micros(started), 0, null,
                        config.nodeId());
            }
            return calls.run(set, ready.container(), request, ready.kind(), micros(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PoolException.unavailable("interrupted while starting a container");
        }
    }

    @Override
    public void prepare(FunctionSpec function) {
        if (closed) {
            return;
        }
        if (function.workload() instanceof Workload.Source source) {
            // A version retired earlier and routed to again (a rollback) keeps its code while it is used.
            specializer.revive(function);
            specializer.use(function, source);
            if (function.minWarm() == 0 && !registry.knows(function.key()) && prewarmed.fits(function, source.language())) {
                // A version never called here: its first call, a specialization, usually follows soon.
                prewarmed.expect(source.language(), function.key());
            }
            background(() -> {
                try {
                    specializer.prefetch(source);
                } catch (Exception e) {
                    log.warn("cannot prefetch the code of {}: {}", function.name(), e.getMessage());
                }
            });
        }
        boolean exec = function.workload() instanceof Workload.Image image && image.contract() == Workload.Contract.EXEC;
        if (exec) {
            return;
        }
        registry.prepare(function);
    }

    private void background(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("not starting background work: shutting down");
        }
    }

    @Override
    public void retire(String functionId) {
        Objects.requireNonNull(functionId, "functionId");
        specializer.retire(functionId);
        registry.retire(functionId);
        prewarmed.withdraw(version -> version.functionId().equals(functionId));
    }

    @Override
    public void retireVersions(String functionId, Set<Long> versions) {
        Objects.requireNonNull(functionId, "functionId");
        Set<Long> retired = Set.copyOf(versions);
        specializer.retireVersions(functionId, retired);
        registry.retireVersions(functionId, retired);
        prewarmed.withdraw(version -> version.functionId().equals(functionId) && retired.contains(version.version()));
    }

    @Override
    public void requireImage(String image) {
        images.require(image);
    }

    @Override
    public boolean warmedUp() {
        return prewarmed.filledOnce();
    }

    @Override
    public PoolStats stats() {
        return new PoolStats(prewarmed.waiting(), prewarmed.starting(), calls.busy(), registry.idleByVersion(), registry.keptVersions(),
                config.maxContainers());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        calls.close();
        registry.close();
        // No re-weighting of containers that are all about to go.
        cpu.close();
        prewarmed.stop();
        scheduler.shutdownNow();
        acquirer.close();
        starts.shutdown();
        workers.shutdown();
        try {
            if (!starts.awaitTermination(60, TimeUnit.SECONDS) || !workers.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("container starts still running after 60 s; removing what exists");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int removed = fleet.removeAll();
        try {
            // One-off exec containers still running are not tracked: the node label finds them.
            factory.removeLeftovers();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove what is left of this node's containers: {}", e.getMessage());
        }
        log.info("pool manager stopped; removed {} container(s)", removed);
        code.close();
        agent.close();
        engine.close();
    }

    private long micros(long startedNanos) {
        return (nanos.getAsLong() - startedNanos) / 1_000;
    }
}
