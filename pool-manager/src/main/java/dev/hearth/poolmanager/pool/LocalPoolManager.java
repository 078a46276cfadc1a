package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.hearth.poolmanager.CodeSource;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.host.HostAccounts;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.UnixSocketAgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.CpuShares;
import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.image.RegistryGuard;
import dev.hearth.poolmanager.docker.EgressNetwork;
import dev.hearth.poolmanager.pool.Resting.Warm;
import dev.hearth.poolmanager.support.JsonCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool manager of one node. Per language it keeps generic containers started ahead of
 * time; a function's first call specializes one ({@code pool}), later calls reuse it
 * ({@code warm}), and with the pool empty a container is started on the spot ({@code cold}).
 * A call that finds no idle container takes whichever comes first, one freed by another call
 * or one started for it ({@link Acquirer}). Idle specialized containers are evicted by a reaper
 * whose timing {@link PoolPolicy} decides.
 *
 * <p>State is lock-free and owned by whoever removes a container from a collection; no lock is
 * ever held across a Docker or agent call.
 */
public final class LocalPoolManager implements PoolManager {

    private static final Logger log = LoggerFactory.getLogger(LocalPoolManager.class);
    /** Room beyond the function's timeout for the reply to travel back. */
    private static final Duration RUN_GRACE = Duration.ofMillis(250);
    private static final Duration FOREVER = Duration.ofDays(365 * 100);
    /** Beyond a start's ready and init timeouts: making room, resizing, copying code. */
    private static final Duration START_SLACK = Duration.ofSeconds(10);

    private final PoolConfig config;
    private final ContainerEngine engine;
    private final AgentClient agent;
    private final ContainerFactory factory;
    private final Specializer specializer;
    private final CodeCache code;
    private final Starter starter;
    private final Acquirer acquirer;
    private final ExecRunner exec;
    private final ImagePuller images;
    private final PoolPolicy policy;
    private final FairShare shares;
    private final Clock clock;
    private final PrewarmedPools prewarmed;
    private final Cache<VersionKey, WarmSet> instances;
    private final Fleet fleet;
    private final CpuShares cpu;
    private final AtomicInteger busy = new AtomicInteger();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private volatile boolean closed;

    LocalPoolManager(PoolConfig config, ContainerEngine engine, AgentClient agent, CodeCache code, Clock clock) {
        this.config = config;
        this.engine = engine;
        this.agent = agent;
        this.clock = clock;
        this.cpu = CpuShares.start(config.cpu(), engine);
        this.factory = new ContainerFactory(config, engine, agent, cpu);
        ObjectMapper json = new ObjectMapper();
        this.code = code;
        this.specializer = new Specializer(code, agent, json);

        this.policy = new PoolPolicy(config.idleTimeout(), config.maxContainers());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("pool-reaper"));
        this.workers = Executors.newFixedThreadPool(4, daemon("pool-worker"));
        this.shares = new FairShare(config.maxContainers(), config.maxMemoryMb(), config.shares().provisionedShare());
        this.fleet = new Fleet(factory, engine, new Capacity(config.maxContainers(), config.maxMemoryMb(), shares), workers,
                this::makeRoom, System::nanoTime);
        this.prewarmed = new PrewarmedPools(config, policy, fleet, scheduler, workers, clock);
        this.starter = new Starter(config, prewarmed, fleet, specializer);
        this.acquirer = new Acquirer(starter::start, fleet::discard, clock, System::nanoTime, config.readyTimeout().plus(Specializer.INIT_TIMEOUT).plus(START_SLACK));
        this.exec = new ExecRunner(fleet, json, clock, System::nanoTime, config.nodeId());
        this.images = new ImagePuller(engine, new RegistryGuard(config.registries(), InetAddress::getAllByName));
        Duration forgetAfter = config.idleTimeout().multipliedBy(2);
        this.instances = Caffeine.newBuilder()
                // A version untouched this long has no warm container left; forget it, unless it keeps some ready.
                .expireAfter(Expiry.accessing((VersionKey key, WarmSet set) -> set.minWarm() > 0 ? FOREVER : forgetAfter))
                .evictionListener((VersionKey key, WarmSet set, RemovalCause cause) -> {
                    if (set != null) {
                        set.retire().forEach(w -> discard(w.container()));
                    }
                })
                .build();
    }

    /**
     * Connects to Docker, checks every runtime image exists, removes what a previous run of this
     * node left, and starts filling the pools. Returns at once; {@link #warmedUp()} tells when full.
     */
    public static LocalPoolManager start(PoolConfig config, CodeSource source, Clock clock) throws IOException {
        HostAccounts.requireUnused(config.containerUid(), config.hostEtc());
        var engine = new DockerEngine(config.dockerHost(), config.containerUid());
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
        var pool = new LocalPoolManager(config, engine, new UnixSocketAgentClient(), code, clock);
        pool.begin();
        return pool;
    }

    void begin() throws IOException {
        factory.removeLeftovers();
        prewarmed.refillAll();
        code.startSweeping();
        scheduler.schedule(this::sweep, policy.nextSweep(List.of(), clock.instant()).toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Invocation invoke(InvokeRequest request) {
        if (closed) {
            throw PoolException.unavailable("the pool manager is shutting down");
        }
        FunctionSpec function = request.function();
        if (function.workload() instanceof Workload.Source source) {
            specializer.use(function, source);
        }
        try {
            if (function.workload() instanceof Workload.Image image && image.contract() == Workload.Contract.EXEC) {
                return exec.run(request, image);
            }
            WarmSet set = instances.get(function.key(), key -> new WarmSet(function.owner()));
            Warm warm = set.take();
            if (warm != null) {
                return run(set, warm.container(), request, StartKind.WARM, 0);
            }
            long started = System.nanoTime();
            Starter.Ready ready = acquirer.acquire(set, function);
            if (ready.failure() != null) {
                return new Invocation(request.invocationId(), ready.kind(), ready.failure(), micros(started), 0, null,
                        config.nodeId());
            }
            return run(set, ready.container(), request, ready.kind(), micros(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PoolException.unavailable("interrupted while starting a container");
        }
    }

    private Invocation run(WarmSet set, ContainerHandle container, InvokeRequest request, StartKind kind, long initMicros) {
        FunctionSpec function = request.function();
        busy.incrementAndGet();
        long started = System.nanoTime();
        Outcome outcome;
        byte[] logs = null;
        boolean reusable = false;
        try {
            long deadline = clock.millis() + function.timeoutMs();
            AgentReply reply = agent.run(container.socket(), request.invocationId(), deadline, request.event(),
                    Duration.ofMillis(function.timeoutMs()).plus(RUN_GRACE));
            logs = reply.logs().length > AgentClient.MAX_LOG_BYTES ? Arrays.copyOf(reply.logs(), AgentClient.MAX_LOG_BYTES) : reply.logs();
            boolean image = function.workload() instanceof Workload.Image;
            if (reply.ok() && image && !JsonCheck.isJson(reply.body())) {
                outcome = Outcome.FunctionError.of("Runtime.InvalidResponse", "the image's /run answered 200 with a body that is not JSON");
                reusable = true;
            } else if (reply.ok()) {
                outcome = new Outcome.Success(reply.body());
                reusable = true;
            } else if (reply.functionError()) {
                outcome = new Outcome.FunctionError(image && !JsonCheck.isJson(reply.body())
                        ? Outcome.FunctionError.json("Runtime.FunctionError", "the image's /run reported a function error without a JSON error object")
                        : reply.body());
                reusable = true;
            } else {
                outcome = new Outcome.Crashed("agent refused the invocation with HTTP " + reply.status());
            }
        } catch (TimeoutException e) {
            // The handler may still be running: the container cannot be trusted with another call.
            outcome = new Outcome.Timeout(function.timeoutMs());
        } catch (AgentClient.ReplyTooLargeException e) {
            outcome = Outcome.FunctionError.of("Runtime.ResponseTooLarge",
                    "the handler's result is larger than the " + AgentClient.MAX_REPLY_BYTES / (1024 * 1024) + " MiB limit");
        } catch (IOException e) {
            outcome = new Outcome.Crashed(crashReason(container, function));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome.Crashed("interrupted");
        } finally {
            busy.decrementAndGet();
        }
        long runMicros = micros(started);
        // An owner over its share whose container comes free gives its room to the call waiting longest for one.
        boolean yields = reusable && fleet.yields(container);
        if (yields) {
            log.debug("container {} of {} makes way for a waiting call of another user", container.id(), function.name());
        }
        if (!(reusable && !closed && !yields && set.giveBack(new Warm(container, function.key(), clock.instant())))) {
            discard(container);
        }
        return new Invocation(request.invocationId(), kind, outcome, initMicros, runMicros, logs, config.nodeId());
    }

    /** Asked only once a call has failed, so the engine is never queried on the good path. */
    private String crashReason(ContainerHandle container, FunctionSpec function) {
        try {
            if (engine.killedForMemory(container.id())) {
                return "the function ran out of memory (memoryMb " + function.memoryMb() + ") and was killed";
            }
        } catch (RuntimeException e) {
            log.debug("cannot inspect crashed container {}: {}", container.id(), e.getMessage());
        }
        return "the function's process exited or was killed mid-call";
    }


    /**
     * Evicts one idle warm container so that {@code owner} gets room, as {@link FairShare#victim}
     * allows: from the user furthest above their share, or one of the owner's own.
     */
    private boolean makeRoom(String owner, int memoryMb) {
        List<FairShare.Idle> idle = new ArrayList<>();
        for (WarmSet set : instances.asMap().values()) {
            List<Warm> snapshot = set.idleSnapshot();
            // Most recently used first: the first kept() of them are the provisioned ones.
            for (int i = 0; i < snapshot.size(); i++) {
                Warm warm = snapshot.get(i);
                idle.add(new FairShare.Idle(warm, set.owner(), warm.container().memoryMb(), i < set.kept()));
            }
        }
        return shares.victim(idle, fleet.held(), owner, memoryMb).map(victim -> {
            WarmSet set = instances.getIfPresent(victim.warm().function());
            if (set == null || !set.claim(victim.warm())) {
                return false;
            }
            log.debug("evicting idle container {} of user {} to make room for user {}", victim.warm().container().id(),
                    victim.owner(), owner);
            discard(victim.warm().container());
            return true;
        }).orElse(false);
    }

    /** Divides the node's provisioned share between the versions that keep containers ready. */
    private void divideProvisioned() {
        List<FairShare.Wanted> wanted = new ArrayList<>();
        instances.asMap().forEach((key, set) -> {
            FunctionSpec prepared = set.prepared();
            if (prepared != null && prepared.minWarm() > 0) {
                wanted.add(new FairShare.Wanted(key, set.owner(), prepared.minWarm(), prepared.memoryMb()));
            }
        });
        Map<VersionKey, Integer> allowed = shares.provisioned(wanted);
        instances.asMap().forEach((key, set) -> set.keep(allowed.getOrDefault(key, 0)));
    }

    /** Evicts expired idle containers and tops the pools up; reschedules itself. */
    private void sweep() {
        Duration delay = PoolPolicy.MAX_SWEEP_DELAY;
        try {
            Instant now = clock.instant();
            List<Warm> remaining = new ArrayList<>();
            divideProvisioned();
            for (WarmSet set : instances.asMap().values()) {
                List<Warm> idle = new ArrayList<>(set.idleSnapshot());
                // Least recently used first; the last minWarm of them stay whatever their age.
                java.util.Collections.reverse(idle);
                for (Warm warm : idle) {
                    if (!policy.expired(warm, now)) {
                        remaining.add(warm);
                    } else if (set.idleCount() > set.kept() && set.claim(warm)) {
                        log.debug("evicting idle container {} of {}", warm.container().id(), warm.function());
                        discard(warm.container());
                    }
                }
                if (set.kept() > 0) {
                    provision(set);
                }
            }
            prewarmed.refillAll();
            delay = policy.nextSweep(remaining, now);
        } catch (RuntimeException e) {
            log.warn("pool sweep failed", e);
        } finally {
            if (!closed) {
                scheduler.schedule(this::sweep, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void prepare(FunctionSpec function) {
        if (closed) {
            return;
        }
        if (function.workload() instanceof Workload.Source source) {
            specializer.use(function, source);
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
        if (function.minWarm() > 0 || instances.getIfPresent(function.key()) != null) {
            // compute() counts as a write, so the cache re-reads the set's expiry (minWarm sets never expire).
            WarmSet set = instances.asMap().compute(function.key(), (key, existing) -> {
                WarmSet s = existing == null ? new WarmSet(function.owner()) : existing;
                s.prepared(function);
                return s;
            });
            divideProvisioned();
            provision(set);
        }
    }

    /** Starts, in the background, the containers that keep the set's {@code minWarm} ready. */
    private void provision(WarmSet set) {
        FunctionSpec function = set.prepared();
        int missing = set.claimMissing();
        for (int i = 0; i < missing; i++) {
            background(() -> {
                try {
                    // Background work: it takes free room or fairly evictable room, and never makes a call wait.
                    Starter.Ready ready = starter.start(function, Demand.background(function.owner()));
                    if (ready.failure() != null) {
                        log.warn("cannot keep {} warm: {}", function.name(), ready.failure());
                    } else if (closed || !set.giveBack(new Warm(ready.container(), function.key(), clock.instant()))) {
                        discard(ready.container());
                    }
                } catch (PoolException e) {
                    if (e.atCapacity()) {
                        log.debug("cannot keep {} warm now, the node is full; the sweep tries again: {}", function.name(), e.getMessage());
                    } else {
                        log.warn("cannot keep {} warm: {}", function.name(), e.getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    set.provisioned();
                }
            });
        }
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
        retireVersions(functionId, Long.MAX_VALUE);
    }

    @Override
    public void retireOlderThan(VersionKey current) {
        retireVersions(current.functionId(), current.version());
    }

    /** Idle containers of the matching versions are removed; busy ones finish their call and are removed then. */
    private void retireVersions(String functionId, long belowVersion) {
        specializer.retire(functionId, belowVersion);
        for (VersionKey key : List.copyOf(instances.asMap().keySet())) {
            if (key.functionId().equals(functionId) && key.version() < belowVersion) {
                WarmSet set = instances.asMap().remove(key);
                if (set != null) {
                    set.retire().forEach(w -> fleet.remove(w.container()));
                }
            }
        }
        divideProvisioned();
    }

    @Override
    public void requireImage(String image) {
        images.require(image);
    }

    private void discard(ContainerHandle container) {
        fleet.discard(container);
    }

    @Override
    public boolean warmedUp() {
        return prewarmed.filledOnce();
    }

    @Override
    public PoolStats stats() {
        Map<VersionKey, WarmSet> sets = instances.asMap();
        return new PoolStats(prewarmed.waiting(), busy.get(), WarmSet.idleByVersion(sets), WarmSet.kept(sets),
                config.maxContainers());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // No re-weighting of containers that are all about to go.
        cpu.close();
        prewarmed.stop();
        scheduler.shutdownNow();
        acquirer.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
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

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
