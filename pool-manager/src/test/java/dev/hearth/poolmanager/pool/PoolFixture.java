package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.Shares;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.code.CodeCacheSettings;
import dev.hearth.poolmanager.docker.CpuSettings;
import dev.hearth.poolmanager.docker.CpuShares;
import dev.hearth.poolmanager.docker.EgressSettings;
import dev.hearth.poolmanager.fakes.FakeAgent;
import dev.hearth.poolmanager.fakes.FakeEngine;
import dev.hearth.poolmanager.fakes.FakeTicker;
import dev.hearth.poolmanager.image.Registries;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A node's pool parts over {@link FakeEngine} and {@link FakeAgent}, for unit tests: a container
 * "starts" by binding its agent socket in its host folder, owned by the container uid (the test
 * runs as root, so it can give the socket to that uid), as a real container's agent would.
 * Image functions only, so no code cache is needed.
 */
final class PoolFixture {

    static final int CONTAINER_UID = 4242;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final FakeEngine engine = new FakeEngine();
    final FakeAgent agent = new FakeAgent();
    final FakeTicker ticker = new FakeTicker();
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    final PoolConfig config;

    PoolFixture(Path runDir, int maxContainers, long maxMemoryMb) {
        this.config = new PoolConfig("t", runDir, Map.of(Language.PYTHON, new PoolConfig.RuntimeConfig("hearth/runtime-python", 0)), Duration.ofMinutes(5), maxContainers, maxMemoryMb, 128,
                1_000_000_000L, 64, 64, Duration.ofSeconds(5), "unix:///nowhere.sock", CONTAINER_UID, 0,
                Registries.parse("docker.io", false), new EgressSettings("hearth-egress", "hearth0", EgressSettings.Firewall.EXTERNAL),
                CodeCacheSettings.DEFAULT, Path.of("/etc"), Shares.DEFAULT, CpuSettings.DEFAULT);
        engine.onStart = (id, spec) -> {
            Path socket = spec.hostDir().resolve("agent.sock");
            try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
            }
            Files.setAttribute(socket, "unix:uid", CONTAINER_UID, LinkOption.NOFOLLOW_LINKS);
        };
    }

    /** The folder every container's host folder is made in, which the node makes at start. */
    void makeFolders() throws Exception {
        Files.createDirectories(config.nodeDir().resolve("slots"));
    }

    /** A fleet over the fake engine, removing containers on the caller's thread. */
    Fleet fleet(RoomMaker room) throws Exception {
        makeFolders();
        var factory = new ContainerFactory(config, engine, agent, CpuShares.start(config.cpu(), engine), ticker);
        var shares = new FairShare(config.maxContainers(), config.maxMemoryMb(), config.shares().provisionedShare());
        return new Fleet(factory, engine, new Capacity(config.maxContainers(), config.maxMemoryMb(), shares), Runnable::run,
                room, ticker);
    }

    /** An {@code http} image function of {@code owner}. */
    static FunctionSpec function(String id, String owner, long version, int minWarm) {
        return new FunctionSpec(id, owner, "f-" + id, version, new Workload.Image("img", Workload.Contract.HTTP), new FunctionSettings(128, 1000, 0, null, false, minWarm));
    }

    /** Starts a container for {@code function} through the fleet, as a call would. */
    static ContainerHandle start(Fleet fleet, FunctionSpec function) throws Exception {
        var template = new ContainerFactory.Template("img", ContainerFactory.IMAGE_KIND, Map.of(), function.owner());
        return fleet.startFor(template, function.memoryMb(), false, Demand.background(function.owner()));
    }
}
