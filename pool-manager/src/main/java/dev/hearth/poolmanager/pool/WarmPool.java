package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
import dev.hearth.poolmanager.UnknownImageException;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.docker.ContainerSpec;
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
    private static final Duration IMAGE_PULL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration FOREVER = Duration.ofDays(365 * 100);

    private final PoolConfig config;
    private final ContainerEngine engine;
    private final AgentClient agent;
    private final ContainerFactory factory;
    private final Specializer specializer;
    private final ExecRunner exec;
    private final JsonCheck jsonCheck;
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
        ObjectMapper json = new ObjectMapper();
        this.specializer = new Specializer(code, agent, json);
        this.jsonCheck = new JsonCheck(json);

        this.policy = new PoolPolicy(config.idleTimeout(), config.maxContainers());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("pool-reaper"));
        this.workers = Executors.newFixedThreadPool(4, daemon("pool-worker"));
        this.fleet = new Fleet(factory, engine, new Capacity(config.maxContainers(), config.maxMemoryMb()), workers);
        this.refiller = new Refiller(config, policy, fleet, scheduler, workers, clock);
        this.exec = new ExecRunner(fleet, json, clock);
        Duration forgetAfter = config.idleTimeout().multipliedBy(2);
        this.instances = Caffeine.newBuilder()
                // A version untouched this long has no warm container left; forget it, unless it keeps some ready.
                .expireAfter(Expiry.accessing((VersionKey key, Instances set) -> set.minWarm() > 0 ? FOREVER : forgetAfter))
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
        try {
            if (function.workload() instanceof Workload.Image image && image.contract() == Workload.Contract.EXEC) {
                return exec.run(request, image, this::makeRoom);
            }
            Instances set = instances.get(function.key(), key -> new Instances());
            Warm warm = set.take();
            if (warm != null) {
                return run(set, warm.container(), request, StartKind.WARM, 0);
            }
            long started = System.nanoTime();
            Acquired acquired = acquire(function);
            if (acquired.failure() != null) {
                return new Invocation(request.invocationId(), acquired.kind(), acquired.failure(), micros(started), 0, null);
            }
            return run(set, acquired.container(), request, acquired.kind(), micros(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PoolException.unavailable("interrupted while starting a container");
        }
    }

    /**
     * A container ready to run the function, and how it came to be; or, when making one failed
     * for a reason that is the function's, that failure.
     */
    private record Acquired(ContainerHandle container, StartKind kind, Outcome failure) {
        static Acquired failed(StartKind kind, Outcome failure) {
            return new Acquired(null, kind, failure);
        }
    }

    private Acquired acquire(FunctionSpec function) throws InterruptedException {
        if (function.workload() instanceof Workload.Image image) {
            return startImage(function, image);
        }
        return specialize(function, (Workload.Source) function.workload());
    }

    /** An {@code http} image function's own container, started for it; ready once its server answers. */
    private Acquired startImage(FunctionSpec function, Workload.Image image) throws InterruptedException {
        var template = new ContainerFactory.Template(image.reference(), "image", ImageEnv.of(function));
        try {
            return new Acquired(fleet.startFor(template, function.memoryMb(), function.egress(), this::makeRoom), StartKind.COLD, null);
        } catch (TimeoutException e) {
            return Acquired.failed(StartKind.COLD, new Outcome.Crashed("the image's server did not answer GET /healthz on "
                    + ContainerSpec.MOUNT_POINT + "/agent.sock within " + config.readyTimeout().toSeconds() + " s"));
        } catch (IOException e) {
            return Acquired.failed(StartKind.COLD, new Outcome.Crashed("the image's container did not start: " + e.getMessage()));
        }
    }

    /**
     * Hot-loads a source function into a pre-started container, or a fresh one when none fits.
     * A pre-started container that fails before its function is loaded says nothing about the
     * function: it is replaced by a cold one once. A second failure is the function's.
     */
    private Acquired specialize(FunctionSpec function, Workload.Source source) throws InterruptedException {
        Language language = source.language();
        if (!refiller.serves(language)) {
            throw PoolException.unavailable("no " + language.id() + " runtime is configured on this node");
        }
        // Pooled containers have no network and a heap sized for the pool's memory where the runtime cannot resize.
        boolean poolFits = !function.egress() && (language.resizable() || function.memoryMb() == config.poolMemoryMb());
        ContainerHandle pooled = poolFits ? refiller.take(language) : null;
        boolean fromPool = pooled != null;
        ContainerHandle container = fromPool ? pooled : startCold(function, language);
        for (int attempt = 1; ; attempt++) {
            StartKind kind = fromPool && attempt == 1 ? StartKind.POOL : StartKind.COLD;
            try {
                container = fitMemory(container, function);
                specializer.specialize(container, function, source);
                return new Acquired(container, kind, null);
            } catch (Specializer.InitFailed e) {
                discard(container);
                return Acquired.failed(kind, new Outcome.FunctionError(e.reply.body()));
            } catch (TimeoutException e) {
                discard(container);
                return Acquired.failed(kind, new Outcome.FunctionError(agentError("Runtime.InitTimeout",
                        "loading the function took longer than " + Specializer.INIT_TIMEOUT.toMillis() + " ms")));
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
                    return Acquired.failed(kind, new Outcome.Crashed("container failed while loading the function: " + e.getMessage()));
                }
                log.warn("pre-started {} container {} failed before init ({}); starting a fresh one",
                        language.id(), container.id(), e.getMessage());
                container = startCold(function, language);
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
            boolean image = function.workload() instanceof Workload.Image;
            if (reply.ok() && image && !jsonCheck.isJson(reply.body())) {
                outcome = new Outcome.FunctionError(agentError("Runtime.InvalidResponse", "the image's /run answered 200 with a body that is not JSON"));
                reusable = true;
            } else if (reply.ok()) {
                outcome = new Outcome.Success(reply.body());
                reusable = true;
            } else if (reply.functionError()) {
                outcome = new Outcome.FunctionError(image && !jsonCheck.isJson(reply.body())
                        ? agentError("Runtime.FunctionError", "the image's /run reported a function error without a JSON error object")
                        : reply.body());
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

    private ContainerHandle startCold(FunctionSpec function, Language language) throws InterruptedException {
        try {
            return fleet.startFor(fleet.runtime(language), function.memoryMb(), function.egress(), this::makeRoom);
        } catch (IOException | TimeoutException e) {
            throw new PoolException("cannot start a " + language.id() + " container: " + e.getMessage(), e);
        }
    }

    /** Evicts the least recently used idle warm container, if any, to make room for a new one. */
    private boolean makeRoom() {
        List<Warm> idle = new ArrayList<>();
        // Containers a function keeps ready (minWarm) are not given up for another's call.
        instances.asMap().values().stream().filter(set -> set.idleCount() > set.minWarm())
                .forEach(set -> idle.addAll(set.idleSnapshot()));
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
        Language language = ((Workload.Source) function.workload()).language();
        if (container.memoryMb() == function.memoryMb() || !language.resizable()) {
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
                List<Warm> idle = new ArrayList<>(set.idleSnapshot());
                // Least recently used first; the last minWarm of them stay whatever their age.
                java.util.Collections.reverse(idle);
                for (Warm warm : idle) {
                    if (!policy.expired(warm, now)) {
                        remaining.add(warm);
                    } else if (set.idleCount() > set.minWarm() && set.claim(warm)) {
                        log.debug("evicting idle container {} of {}", warm.container().id(), warm.function());
                        discard(warm.container());
                    }
                }
                if (set.minWarm() > 0) {
                    provision(set);
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
        if (function.workload() instanceof Workload.Source source) {
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
            Instances set = instances.asMap().compute(function.key(), (key, existing) -> {
                Instances s = existing == null ? new Instances() : existing;
                s.prepared(function);
                return s;
            });
            provision(set);
        }
    }

    /** Starts, in the background, the containers that keep the set's {@code minWarm} ready. */
    private void provision(Instances set) {
        FunctionSpec function = set.prepared();
        int missing = set.claimMissing();
        for (int i = 0; i < missing; i++) {
            background(() -> {
                try {
                    Acquired acquired = acquire(function);
                    if (acquired.failure() != null) {
                        log.warn("cannot keep {} warm: {}", function.name(), acquired.failure());
                    } else if (closed || !set.giveBack(new Warm(acquired.container(), function.key(), clock.instant()))) {
                        discard(acquired.container());
                    }
                } catch (PoolException e) {
                    log.warn("cannot keep {} warm: {}", function.name(), e.getMessage());
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
        for (VersionKey key : List.copyOf(instances.asMap().keySet())) {
            if (key.functionId().equals(functionId) && key.version() < belowVersion) {
                Instances set = instances.asMap().remove(key);
                if (set != null) {
                    set.retire().forEach(w -> fleet.remove(w.container()));
                }
            }
        }
    }

    @Override
    public void requireImage(String image) {
        try {
            if (engine.imageExists(image)) {
                return;
            }
        } catch (RuntimeException e) {
            throw new PoolException("cannot ask the container engine about " + image + ": " + e.getMessage(), e);
        }
        try {
            engine.pull(image, IMAGE_PULL_TIMEOUT);
        } catch (IOException e) {
            throw new UnknownImageException("the image '" + image + "' is not on this node and pulling it failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PoolException.unavailable("interrupted while pulling " + image);
        }
        if (!engine.imageExists(image)) {
            throw new UnknownImageException("the image '" + image + "' is not on this node");
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
        try {
            // One-off exec containers still running are not tracked: the node label finds them.
            factory.removeLeftovers();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove what is left of this node's containers: {}", e.getMessage());
        }
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
