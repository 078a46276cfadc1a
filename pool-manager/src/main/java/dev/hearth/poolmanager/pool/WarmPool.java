package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.hearth.poolmanager.CodeSource;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.code.ArchiveException;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.pool.Slot.Warm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Idle specialized containers are evicted by a reaper whose timing {@link PoolPolicy} decides.
 *
 * <p>State is lock-free and owned by whoever removes a container from a collection; no lock is
 * ever held across a Docker or agent call.
 */
public final class WarmPool implements PoolManager {

    private static final Logger log = LoggerFactory.getLogger(WarmPool.class);
    /** Room beyond the function's timeout for the reply to travel back. */
    private static final Duration RUN_GRACE = Duration.ofMillis(250);

    private final PoolConfig config;
    private final ContainerEngine engine;
    private final AgentClient agent;
    private final ContainerFactory factory;
    private final Specializer specializer;
    private final PoolPolicy policy;
    private final Clock clock;
    private final Refiller refiller;
    private final Cache<VersionKey, Instances> instances;
    private final Fleet fleet;
    private final AtomicInteger busy = new AtomicInteger();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private volatile boolean closed;

    WarmPool(PoolConfig config, ContainerEngine engine, AgentClient agent, CodeCache code, Clock clock) {
        this.config = config;
        this.engine = engine;
        this.agent = agent;
        this.clock = clock;
        this.factory = new ContainerFactory(config, engine, agent);
        this.specializer = new Specializer(code, agent, new ObjectMapper());

        this.policy = new PoolPolicy(config.idleTimeout(), config.maxContainers());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("pool-reaper"));
        this.workers = Executors.newFixedThreadPool(4, daemon("pool-worker"));
        this.fleet = new Fleet(factory, engine, new Capacity(config.maxContainers(), config.maxMemoryMb()), workers);
        this.refiller = new Refiller(config, policy, fleet, scheduler, workers, clock);
        this.instances = Caffeine.newBuilder()
                // A version untouched this long has no warm container left; forget it.
                .expireAfterAccess(config.idleTimeout().multipliedBy(2))
                .evictionListener((VersionKey key, Instances set, RemovalCause cause) -> {
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
    public static WarmPool start(PoolConfig config, CodeSource source, Clock clock) throws IOException {
        var engine = new DockerEngine(config.dockerHost());
        try {
            engine.ping();
            config.runtimes().forEach((language, runtime) -> {
                if (!engine.imageExists(runtime.image())) {
                    throw new IllegalStateException("runtime image " + runtime.image() + " for " + language.id()
                            + " is missing; './hearth up' builds it");
                }
            });
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        var code = new CodeCache(config.nodeDir().resolve("code"), source, ZipLimits.DEFAULT);
        var pool = new WarmPool(config, engine, new AgentClient(), code, clock);
        pool.begin();
        return pool;
    }

    void begin() throws IOException {
        factory.removeLeftovers();
        refiller.refillAll();
        scheduler.schedule(this::sweep, policy.nextSweep(List.of(), clock.instant()).toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Invocation invoke(InvokeRequest request) {
        if (closed) {
            throw PoolException.unavailable("the pool manager is shutting down");
        }
        FunctionSpec function = request.function();
        Instances set = instances.get(function.key(), key -> new Instances());
        Warm warm = set.take();
        if (warm != null) {
            return run(set, warm.container(), request, StartKind.WARM, 0);
        }
        long started = System.nanoTime();
        // Pooled containers have no network and a heap sized for the pool's memory where the runtime cannot resize.
        boolean poolFits = !function.egress()
                && (function.language().resizable() || function.memoryMb() == config.poolMemoryMb());
        if (!refiller.serves(function.language())) {
            throw PoolException.unavailable("no " + function.language().id() + " runtime is configured on this node");
        }
        ContainerHandle pooled = poolFits ? refiller.take(function.language()) : null;
        try {
            return specializeAndRun(set, pooled, request, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PoolException.unavailable("interrupted while starting a container");
        }
    }

    /**
     * A pre-started container that fails before its function is loaded says nothing about the
     * function: it is replaced by a cold one once. A second failure is the function's.
     */
    private Invocation specializeAndRun(Instances set, ContainerHandle pooled, InvokeRequest request, long started)
            throws InterruptedException {
        FunctionSpec function = request.function();
        boolean fromPool = pooled != null;
        ContainerHandle container = fromPool ? pooled : startCold(function);
        for (int attempt = 1; ; attempt++) {
            StartKind kind = fromPool && attempt == 1 ? StartKind.POOL : StartKind.COLD;
            try {
                container = fitMemory(container, function);
                specializer.specialize(container, function);
                return run(set, container, request, kind, micros(started));
            } catch (Specializer.InitFailed e) {
                discard(container);
                return finished(request, kind, new Outcome.FunctionError(e.reply.body()), started);
            } catch (TimeoutException e) {
                discard(container);
                return finished(request, kind, new Outcome.FunctionError(agentError("Runtime.InitTimeout",
                        "loading the function took longer than " + Specializer.INIT_TIMEOUT.toMillis() + " ms")), started);
            } catch (PoolException e) {
                discard(container);
                throw e;
            } catch (ArchiveException e) {
                discard(container);
                throw new PoolException("the function's code archive is unusable: " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                discard(container);
                if (attempt > 1 || !fromPool) {
                    if (e instanceof RuntimeException runtime) {
                        throw new PoolException("cannot specialize a container: " + runtime.getMessage(), runtime);
                    }
                    return finished(request, kind, new Outcome.Crashed("container failed while loading the function: " + e.getMessage()), started);
                }
                log.warn("pre-started {} container {} failed before init ({}); starting a fresh one",
                        function.language().id(), container.id(), e.getMessage());
                container = startCold(function);
            }
        }
    }

    private Invocation run(Instances set, ContainerHandle container, InvokeRequest request, StartKind kind, long initMicros) {
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
            if (reply.ok()) {
                outcome = new Outcome.Success(reply.body());
                reusable = true;
            } else if (reply.functionError()) {
                outcome = new Outcome.FunctionError(reply.body());
                reusable = true;
            } else {
                outcome = new Outcome.Crashed("agent refused the invocation with HTTP " + reply.status());
            }
        } catch (TimeoutException e) {
            // The handler may still be running: the container cannot be trusted with another call.
            outcome = new Outcome.Timeout(function.timeoutMs());
        } catch (AgentClient.ReplyTooLargeException e) {
            outcome = new Outcome.FunctionError(agentError("Runtime.ResponseTooLarge",
                    "the handler's result is larger than the " + AgentClient.MAX_REPLY_BYTES / (1024 * 1024) + " MiB limit"));
        } catch (IOException e) {
            outcome = new Outcome.Crashed(crashReason(container, function));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome.Crashed("interrupted");
        } finally {
            busy.decrementAndGet();
        }
        long runMicros = micros(started);
        if (!(reusable && !closed && set.giveBack(new Warm(container, function.key(), clock.instant())))) {
            discard(container);
        }
        return new Invocation(request.invocationId(), kind, outcome, initMicros, runMicros, logs);
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

    private static Invocation finished(InvokeRequest request, StartKind kind, Outcome outcome, long started) {
        return new Invocation(request.invocationId(), kind, outcome, micros(started), 0, null);
    }

    /** An error object in the agent's own shape, for failures the pool manager detects itself. */
    private static byte[] agentError(String type, String message) {
        return ("{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private ContainerHandle startCold(FunctionSpec function) throws InterruptedException {
        Language language = function.language();
        return fleet.startFor(language, function.memoryMb(), function.egress(), this::makeRoom);
    }

    /** Evicts the least recently used idle warm container, if any, to make room for a new one. */
    private boolean makeRoom() {
        List<Warm> idle = new ArrayList<>();
        instances.asMap().values().forEach(set -> idle.addAll(set.idleSnapshot()));
        return policy.victim(idle).map(victim -> {
            Instances owner = instances.getIfPresent(victim.function());
            if (owner == null || !owner.claim(victim)) {
                return false;
            }
            discard(victim.container());
            return true;
        }).orElse(false);
    }

    /** Pre-started containers take the function's memory limit, where the runtime follows a resize. */
    private ContainerHandle fitMemory(ContainerHandle container, FunctionSpec function) {
        if (container.memoryMb() == function.memoryMb() || !function.language().resizable()) {
            return container;
        }
        return fleet.resize(container, function.memoryMb(), this::makeRoom);
    }

    /** Evicts expired idle containers and tops the pools up; reschedules itself. */
    private void sweep() {
        Duration delay = PoolPolicy.MAX_SWEEP_DELAY;
        try {
            Instant now = clock.instant();
            List<Warm> remaining = new ArrayList<>();
            for (Instances set : instances.asMap().values()) {
                for (Warm warm : set.idleSnapshot()) {
                    if (!policy.expired(warm, now)) {
                        remaining.add(warm);
                    } else if (set.claim(warm)) {
                        log.debug("evicting idle container {} of {}", warm.container().id(), warm.function());
                        discard(warm.container());
                    }
                }
            }
            refiller.refillAll();
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
        try {
            workers.execute(() -> {
                try {
                    specializer.prefetch(function);
                } catch (Exception e) {
                    log.warn("cannot prefetch the code of {}: {}", function.name(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("not prefetching {}: shutting down", function.name());
        }
    }

    @Override
    public void retire(String functionId) {
        for (VersionKey key : List.copyOf(instances.asMap().keySet())) {
            if (key.functionId().equals(functionId)) {
                Instances set = instances.asMap().remove(key);
                if (set != null) {
                    set.retire().forEach(w -> fleet.remove(w.container()));
                }
            }
        }
    }

    private void discard(ContainerHandle container) {
        fleet.discard(container);
    }

    @Override
    public boolean warmedUp() {
        return refiller.filledOnce();
    }

    @Override
    public PoolStats stats() {
        Map<String, Integer> prewarmed = refiller.waiting();
        int warm = instances.asMap().values().stream().mapToInt(Instances::idleCount).sum();
        return new PoolStats(prewarmed, warm, busy.get());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        refiller.stop();
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("container starts still running after 60 s; removing what exists");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int removed = fleet.removeAll();
        log.info("pool manager stopped; removed {} container(s)", removed);
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
