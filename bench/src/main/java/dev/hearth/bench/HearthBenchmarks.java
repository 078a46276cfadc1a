package dev.hearth.bench;

import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.UnixSocketAgentClient;
import dev.hearth.poolmanager.docker.DockerEngine;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Hearth against the design it replaces, per runtime ({@code runtime} parameter), with the same
 * no-op handler everywhere. {@link BenchMain} runs them and writes the figures.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HearthBenchmarks {

    static final int POOL_SIZE = 4;
    /** Warm calls made before first calls are measured, so the JIT has compiled Hearth's hot paths. */
    static final int JIT_WARMUP_CALLS = 5_000;

    /** Docker and an agent client, with nothing started. */
    @State(Scope.Benchmark)
    public static class Engine {
        @Param({"python", "node", "java"})
        public String runtime;
        final String label = "hearth-bench";
        DockerEngine engine;
        AgentClient agent;

        @Setup(Level.Trial)
        public void open() {
            engine = new DockerEngine(System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"), RawContainer.CONTAINER_UID, System::nanoTime);
            agent = new UnixSocketAgentClient();
        }

        @TearDown(Level.Trial)
        public void close() {
            agent.close();
            engine.close();
        }
    }

    /** One container specialized outside Hearth, called straight on its agent. */
    @State(Scope.Benchmark)
    public static class Direct {
        @Param({"python", "node", "java"})
        public String runtime;
        final Engine engine = new Engine();
        RawContainer container;

        @Setup(Level.Trial)
        public void start() throws Exception {
            engine.runtime = runtime;
            engine.open();
            container = RawContainer.start(engine.engine, engine.agent, runtime, engine.label);
        }

        @TearDown(Level.Trial)
        public void stop() {
            container.close();
            engine.close();
        }
    }

    /** A Hearth with a full pool, and a never-invoked function for every invocation. */
    @State(Scope.Benchmark)
    public static class PoolStart {
        @Param({"python", "node", "java"})
        public String runtime;
        BenchHearth hearth;
        final AtomicInteger functions = new AtomicInteger();
        String next;

        @Setup(Level.Trial)
        public void start() throws Exception {
            hearth = new BenchHearth(runtime, POOL_SIZE);
            // A platform that serves first calls has served others: its own code is compiled by then.
            hearth.create("jit-warmup");
            for (int i = 0; i < JIT_WARMUP_CALLS; i++) {
                hearth.invoke("jit-warmup");
            }
        }

        /** Not measured: a new function is created and the pool refilled before each first call. */
        @Setup(Level.Invocation)
        public void newFunction() throws Exception {
            next = "first-" + functions.incrementAndGet();
            hearth.create(next);
            hearth.awaitPoolFull(POOL_SIZE);
            Thread.sleep(50); // lets the code prefetch and the last container start settle
        }

        @TearDown(Level.Trial)
        public void stop() {
            hearth.close();
        }
    }

    /** A Hearth with one function already warm. */
    @State(Scope.Benchmark)
    public static class Warm {
        @Param({"python", "node", "java"})
        public String runtime;
        BenchHearth hearth;

        @Setup(Level.Trial)
        public void start() throws Exception {
            hearth = new BenchHearth(runtime, POOL_SIZE);
            hearth.create("warm");
            hearth.invoke("warm");
        }

        @TearDown(Level.Trial)
        public void stop() {
            hearth.close();
        }
    }

    /** A Hearth in distributed mode (control plane, nats-server, one pool-manager node) with one function already warm. */
    @State(Scope.Benchmark)
    public static class WarmOverNats {
        @Param({"python", "node", "java"})
        public String runtime;
        BenchHearth hearth;

        @Setup(Level.Trial)
        public void start() throws Exception {
            hearth = new BenchHearth(runtime, POOL_SIZE, true);
            hearth.create("warm");
            hearth.invoke("warm");
        }

        @TearDown(Level.Trial)
        public void stop() {
            hearth.close();
        }
    }

    /**
     * A nats-server process and one jnats connection whose dispatcher answers every request on a
     * subject with its own payload: the floor under any call dispatched over NATS on this machine.
     */
    @State(Scope.Benchmark)
    public static class NatsFloor {
        static final String SUBJECT = "hearth.bench.floor";
        Path dir;
        NatsServerProcess server;
        Connection connection;
        /** About the size of a warm call's request (headers and event). */
        final byte[] payload = new byte[320];

        @Setup(Level.Trial)
        public void start() throws Exception {
            dir = Files.createTempDirectory("hearth-bench-nats");
            server = NatsServerProcess.start(dir);
            Options options = new Options.Builder().server(server.url()).connectionTimeout(Duration.ofSeconds(10))
                    .maxReconnects(-1).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (connection == null) {
                try {
                    connection = Nats.connect(options);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
            Dispatcher echo = connection.createDispatcher(message -> connection.publish(message.getReplyTo(), message.getData()));
            echo.subscribe(SUBJECT);
            connection.flush(Duration.ofSeconds(5));
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            connection.close();
            server.close();
            BenchHearth.deleteTree(dir);
        }
    }

    /** One request-reply through the nats-server and back, nothing else. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public byte[] natsFloor(NatsFloor state) throws Exception {
        return state.connection.request(NatsFloor.SUBJECT, state.payload, Duration.ofSeconds(5)).getData();
    }

    /** A call of a warm function through REST, dispatched over NATS to a pool-manager node. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public String warmOverNats(WarmOverNats state) throws Exception {
        return state.hearth.invoke("warm");
    }

    /** The original design: create, start, load, run and remove a container for one call. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public byte[] containerPerInvocation(Engine state) throws Exception {
        try (RawContainer container = RawContainer.start(state.engine, state.agent, state.runtime, state.label)) {
            return container.run();
        }
    }

    /** The first call of a function that never ran, end to end through REST; must be served from the pool. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public String poolStart(PoolStart state) throws Exception {
        String start = state.hearth.invoke(state.next);
        if (!"pool".equals(start)) {
            throw new IllegalStateException("a first call started '" + start + "', not from the pool");
        }
        return start;
    }

    /** A call of a warm function through REST, from a client in the JVM that runs Hearth. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public String warm(Warm state) throws Exception {
        return state.hearth.invoke("warm");
    }

    /**
     * The cheapest answer of the Hearth {@link #warm} calls ({@code GET /healthz}), from the same
     * client on its kept-alive connection: what the REST hop costs before any of Hearth's work.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int restFloor(Warm state) throws Exception {
        BenchClient.Reply reply = state.hearth.client().request("GET", "/healthz", null);
        if (reply.status() != 200) {
            throw new IllegalStateException("/healthz answered " + reply.status());
        }
        return reply.status();
    }

    /** The same handler called straight on a specialized agent: the lower bound of a warm call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public byte[] directAgent(Direct state) throws Exception {
        return state.container.run();
    }
}
