package dev.hearth.poolmanager.pool;

import com.sun.security.auth.module.UnixSystem;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.Shares;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.CodeCacheSettings;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.docker.CpuSettings;
import dev.hearth.poolmanager.docker.CpuShares;
import dev.hearth.poolmanager.docker.EgressSettings;
import dev.hearth.poolmanager.fakes.FakeAgent;
import dev.hearth.poolmanager.fakes.FakeEngine;
import dev.hearth.poolmanager.host.Ownership;
import dev.hearth.poolmanager.image.Registries;
import dev.hearth.poolmanager.support.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node of the pool made of fakes, for the unit tests of its container classes: a
 * {@link FakeEngine} whose containers "start" by binding the agent's socket in their host folder
 * (as the runtime's agent does), a {@link FakeAgent}, and a {@link ContainerFactory} on a ticker
 * the test moves. No Docker, no network; the folders and sockets are real, under the test's folder.
 */
final class FakeNode implements AutoCloseable {

    private static final int SELF = (int) new UnixSystem().getUid();
    /** The container uid: another uid than this process's when it is root (the config refuses 0), else its own. */
    static final int UID = SELF == 0 ? 4_242_424 : SELF;
    static final String NODE_ID = "test-node";
    static final int POOL_MB = 128;

    final FakeEngine engine = new FakeEngine();
    final FakeAgent agent = new FakeAgent();
    /** Nanoseconds on the factory's ticker. */
    final AtomicLong nanos = new AtomicLong();
    /** How far the ticker moves at each reading: a wait for a socket that never comes ends at once. */
    volatile long stepNanos = Duration.ofSeconds(1).toNanos();
    final PoolConfig config;
    final CpuShares cpu;
    final ContainerFactory factory;
    private final List<ServerSocketChannel> sockets = new CopyOnWriteArrayList<>();

    FakeNode(Path runDir) {
        this(runDir, 8, 4096, Map.of(Language.PYTHON, 2, Language.JAVA, 0));
    }

    /** @param poolSizes the pre-started containers kept per language; a language left out is not served */
    FakeNode(Path runDir, int maxContainers, long maxMemoryMb, Map<Language, Integer> poolSizes) {
        Map<Language, PoolConfig.RuntimeConfig> runtimes = new EnumMap<>(Language.class);
        poolSizes.forEach((language, size) -> runtimes.put(language, new PoolConfig.RuntimeConfig("hearth/runtime-" + language.id(), size)));
        this.config = new PoolConfig(NODE_ID, runDir, runtimes, Duration.ofMinutes(5), maxContainers, maxMemoryMb, POOL_MB,
                1_000_000_000L, 64, 64, Duration.ofSeconds(5), "unix:///nowhere", UID, 0,
                Registries.parse(Registries.DEFAULT, false),
                new EgressSettings("hearth-egress", "hearth-egress0", EgressSettings.Firewall.EXTERNAL),
                CodeCacheSettings.DEFAULT, runDir.resolve("etc"), Shares.DEFAULT, CpuSettings.DEFAULT);
        this.cpu = CpuShares.start(config.cpu(), engine);
        this.factory = new ContainerFactory(config, engine, agent, cpu, () -> nanos.addAndGet(stepNanos));
        agentsListen();
        try {
            Files.createDirectories(config.nodeDir().resolve("slots"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every container started from now on binds its agent's socket as the container uid. */
    void agentsListen() {
        engine.onStart = (id, spec) -> {
            if (spec.hostDir() != null) {
                listen(spec.hostDir());
            }
        };
    }

    /** Containers started from now on never bind a socket. */
    void agentsSilent() {
        engine.onStart = (id, spec) -> {};
    }

    void listen(Path hostDir) throws IOException {
        Path socket = hostDir.resolve("agent.sock");
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        sockets.add(server);
        server.bind(UnixDomainSocketAddress.of(socket));
        // The agent runs as the container uid: its socket is that uid's.
        Ownership.toContainerUser(socket, UID);
    }

    /** A fleet over this node's factory, removing containers on the calling thread. */
    Fleet fleet(Capacity capacity, RoomMaker roomMaker, AtomicLong fleetNanos) {
        return new Fleet(factory, engine, capacity, Runnable::run, roomMaker, fleetNanos::get);
    }

    Capacity capacity() {
        return new Capacity(config.maxContainers(), config.maxMemoryMb(),
                new FairShare(config.maxContainers(), config.maxMemoryMb(), config.shares().provisionedShare()));
    }

    static FunctionSpec python(String owner, int memoryMb) {
        return source(owner, Language.PYTHON, memoryMb, false);
    }

    static FunctionSpec source(String owner, Language language, int memoryMb, boolean egress) {
        return new FunctionSpec("fn-" + owner, owner, "hello", 3, new Workload.Source(language, "main.handler", DIGEST),
                new FunctionSettings(memoryMb, 1000, 0, Map.of("GREETING", "hi"), egress, 0));
    }

    /** The code of every source function here: one file. */
    static final byte[] ARCHIVE = SpecializerTest.zip(Map.of("main.py", "def handler(event, context):\n    return event\n"));
    static final String DIGEST = Digests.sha256Hex(ARCHIVE);

    /** A code cache in {@code dir} that serves {@link #ARCHIVE}. */
    static CodeCache code(Path dir) throws IOException {
        return new CodeCache(dir, digest -> new ByteArrayInputStream(ARCHIVE), ZipLimits.DEFAULT, CodeCacheSettings.DEFAULT,
                Clock.systemUTC());
    }

    static FunctionSpec httpImage(String owner) {
        return new FunctionSpec("img-" + owner, owner, "server", 1, new Workload.Image("example/http", Workload.Contract.HTTP),
                new FunctionSettings(256, 1000, 0, Map.of("MODE", "test"), false, 0));
    }

    @Override
    public void close() throws IOException {
        cpu.close();
        for (var socket : sockets) {
            socket.close();
        }
    }
}
