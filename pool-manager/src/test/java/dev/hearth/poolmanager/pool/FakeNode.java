package dev.hearth.poolmanager.pool;

import com.sun.security.auth.module.UnixSystem;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.LambdaSettings;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolSizingSettings;
import dev.hearth.poolmanager.Shares;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.CodeCacheSettings;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.code.Zips;
import dev.hearth.poolmanager.docker.CpuSettings;
import dev.hearth.poolmanager.docker.CpuShares;
import dev.hearth.poolmanager.docker.EgressSettings;
import dev.hearth.poolmanager.fakes.FakeAgent;
import dev.hearth.poolmanager.fakes.FakeEngine;
import dev.hearth.poolmanager.fakes.FakeTicker;
import dev.hearth.poolmanager.host.Ownership;
import dev.hearth.poolmanager.image.Registries;
import dev.hearth.poolmanager.support.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One node of the pool made of fakes, the one fixture of the pool's unit tests: a
 * {@link FakeEngine} whose containers "start" by binding the agent's socket in their host folder
 * as the container uid (as the runtime's agent does), a {@link FakeAgent}, a fixed clock and
 * {@link FakeTicker}s the test moves. No Docker, no network; the folders and sockets are real,
 * under the test's folder.
 */
final class FakeNode implements AutoCloseable {

    private static final int SELF = (int) new UnixSystem().getUid();
    /** The container uid: another uid than this process's when it is root (the config refuses 0), else its own. */
    static final int UID = SELF == 0 ? 4_242_424 : SELF;
    static final String NODE_ID = "test-node";
    static final int POOL_MB = 128;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final FakeEngine engine = new FakeEngine();
    final FakeAgent agent = new FakeAgent();
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    /** The node's ticker, moved by hand: the fleet's, a call's, the whole pool's. */
    final FakeTicker ticker = new FakeTicker();
    /** The container factory's ticker, a second later at each look: a wait for a socket that never comes ends at once. */
    final FakeTicker startTicker = FakeTicker.advancingBy(Duration.ofSeconds(1));
    final PoolConfig config;
    final CpuShares cpu;
    final ContainerFactory factory;
    final Capacity capacity;
    private final List<ServerSocketChannel> sockets = new CopyOnWriteArrayList<>();

    FakeNode(Path runDir) {
        this(runDir, 8, 4096, Map.of(Language.PYTHON, 2, Language.JAVA, 0));
    }

    /** @param poolSizes the pre-started containers kept per language; a language left out is not served */
    FakeNode(Path runDir, int maxContainers, long maxMemoryMb, Map<Language, Integer> poolSizes) {
        this(runDir, maxContainers, maxMemoryMb, runtimes(poolSizes), PoolSizingSettings.DEFAULT);
    }

    private static Map<Language, PoolConfig.RuntimeConfig> runtimes(Map<Language, Integer> poolSizes) {
        Map<Language, PoolConfig.RuntimeConfig> runtimes = new EnumMap<>(Language.class);
        poolSizes.forEach((language, size) -> runtimes.put(language, new PoolConfig.RuntimeConfig("hearth/runtime-" + language.id(), size)));
        return runtimes;
    }

    /** With each language's floor and ceiling, and how the pools follow demand. */
    FakeNode(Path runDir, int maxContainers, long maxMemoryMb, Map<Language, PoolConfig.RuntimeConfig> runtimes,
             PoolSizingSettings sizing) {
        this.config = new PoolConfig(NODE_ID, runDir, runtimes, Duration.ofMinutes(5), maxContainers, maxMemoryMb, POOL_MB,
                1_000_000_000L, 64, 64, Duration.ofSeconds(5), "unix:///nowhere", UID, 0,
                Registries.parse(Registries.DEFAULT, false),
                new EgressSettings("hearth-egress", "hearth-egress0", EgressSettings.Firewall.EXTERNAL),
                CodeCacheSettings.DEFAULT, runDir.resolve("etc"), Shares.DEFAULT, CpuSettings.DEFAULT, LambdaSettings.DEFAULT,
                sizing);
        this.cpu = CpuShares.start(config.cpu(), engine);
        this.factory = new ContainerFactory(config, engine, agent, cpu, startTicker);
        this.capacity = new Capacity(config.maxContainers(), config.maxMemoryMb(), fairShare());
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

    /** A fleet over this node's factory and {@link #capacity}, on its ticker, removing containers on the calling thread. */
    Fleet fleet(RoomMaker roomMaker) {
        return new Fleet(factory, engine, capacity, Runnable::run, roomMaker, ticker);
    }

    FairShare fairShare() {
        return new FairShare(config.maxContainers(), config.maxMemoryMb(), config.shares().provisionedShare());
    }

    static FunctionSpec python(String owner, int memoryMb) {
        return source(owner, Language.PYTHON, memoryMb, false);
    }

    static FunctionSpec source(String owner, Language language, int memoryMb, boolean egress) {
        return new FunctionSpec("fn-" + owner, owner, "hello", 3, new Workload.Source(language, "main.handler", DIGEST),
                new FunctionSettings(memoryMb, 1000, 0, Map.of("GREETING", "hi"), egress, 0));
    }

    /** The code of every source function here: one file. */
    static final byte[] ARCHIVE = Zips.single("main.py", "def handler(event, context):\n    return event\n".getBytes(StandardCharsets.UTF_8));
    static final String DIGEST = Digests.sha256Hex(ARCHIVE);

    /** A code cache in {@code dir} that serves {@link #ARCHIVE}. */
    CodeCache code(Path dir) throws IOException {
        return new CodeCache(dir, digest -> new ByteArrayInputStream(ARCHIVE), ZipLimits.DEFAULT, CodeCacheSettings.DEFAULT, clock);
    }

    static FunctionSpec httpImage(String owner) {
        return new FunctionSpec("img-" + owner, owner, "server", 1, new Workload.Image("example/http", Workload.Contract.HTTP),
                new FunctionSettings(256, 1000, 0, Map.of("MODE", "test"), false, 0));
    }

    /** An {@code http} image function of {@code owner}'s, with no environment. */
    static FunctionSpec image(String id, String owner, long version, int minWarm) {
        return new FunctionSpec(id, owner, "f-" + id, version, new Workload.Image("img", Workload.Contract.HTTP),
                new FunctionSettings(128, 1000, 0, null, false, minWarm));
    }

    /** Starts a container for an image {@code function} through the fleet, as a call would. */
    static ContainerHandle start(Fleet fleet, FunctionSpec function) throws Exception {
        var template = new ContainerFactory.Template("img", ContainerFactory.IMAGE_KIND, Map.of(), function.owner());
        return fleet.startFor(template, function.memoryMb(), false, Demand.background(function.owner()));
    }

    @Override
    public void close() throws IOException {
        cpu.close();
        for (var socket : sockets) {
            socket.close();
        }
    }
}
