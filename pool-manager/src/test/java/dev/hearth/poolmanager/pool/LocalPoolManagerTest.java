package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolConfig.RuntimeConfig;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolSizingSettings;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.CodeCacheSettings;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole node's pool over a fake engine and agent: how calls are dispatched, and what retire and close leave. */
class LocalPoolManagerTest {

    static final FunctionSpec HTTP = FakeNode.image("web", "u", 1, 0);

    @TempDir
    Path runDir;
    FakeNode fakes;
    LocalPoolManager pool;

    @BeforeEach
    void start() throws Exception {
        fakes = new FakeNode(runDir, 4, 1024, Map.of(Language.PYTHON, 0));
        var code = new CodeCache(fakes.config.nodeDir().resolve("code"), digest -> {
            throw new FileNotFoundException(digest);
        }, ZipLimits.DEFAULT, CodeCacheSettings.DEFAULT, fakes.clock);
        pool = new LocalPoolManager(fakes.config, fakes.engine, fakes.agent, code, fakes.clock, fakes.ticker);
        pool.begin();
    }

    @AfterEach
    void stop() throws IOException {
        pool.close();
        fakes.close();
    }

    Invocation invoke(FunctionSpec function, String event) {
        return pool.invoke(new InvokeRequest(function, "inv", event.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void firstCall_startsTheImagesContainer_andTheNextReusesItWarm() {
        Invocation first = invoke(HTTP, "{\"n\":1}");
        assertEquals(StartKind.COLD, first.start());
        assertEquals("{\"n\":1}", new String(assertInstanceOf(Outcome.Success.class, first.outcome()).json(), StandardCharsets.UTF_8));
        assertEquals(Map.of(HTTP.key(), 1), pool.stats().idle());

        assertEquals(StartKind.WARM, invoke(HTTP, "{}").start());
        assertEquals(1, fakes.engine.started.size(), "one container for both calls");
        assertEquals(0, pool.stats().busy());
    }

    @Test
    void execImage_runsAContainerPerCall_andKeepsNone() {
        var exec = new FunctionSpec("job", "u", "job", 1, new Workload.Image("img", Workload.Contract.EXEC), new FunctionSettings(128, 1000, 0, null, false, 0));
        fakes.engine.attached = (spec, stdin, streams) -> {
            streams.stdout(stdin);
            return new ContainerEngine.AttachedResult(0, false, false, 0);
        };
        Invocation invocation = invoke(exec, "[1,2]");
        assertEquals(StartKind.COLD, invocation.start());
        assertEquals("[1,2]", new String(assertInstanceOf(Outcome.Success.class, invocation.outcome()).json(), StandardCharsets.UTF_8));
        assertTrue(pool.stats().idle().isEmpty());
    }

    @Test
    void retire_removesTheFunctionsIdleContainers() {
        invoke(HTTP, "{}");
        String id = fakes.engine.running.keySet().iterator().next();
        pool.retire(HTTP.id());
        assertEquals(List.of(id), fakes.engine.removed);
        assertTrue(pool.stats().idle().isEmpty());
        assertEquals(StartKind.COLD, invoke(HTTP, "{}").start(), "a later call starts afresh");
    }

    @Test
    void retireVersions_removesExactlyThoseVersionsIdleContainers() {
        Map<Long, String> containers = new HashMap<>();
        for (long version = 1; version <= 3; version++) {
            Set<String> before = Set.copyOf(fakes.engine.running.keySet());
            invoke(FakeNode.image("web", "u", version, 0), "{}");
            Set<String> started = new HashSet<>(fakes.engine.running.keySet());
            started.removeAll(before);
            containers.put(version, started.iterator().next());
        }

        pool.retireVersions("web", Set.of(1L, 3L));

        assertEquals(Set.of(containers.get(1L), containers.get(3L)), Set.copyOf(fakes.engine.removed));
        assertEquals(Map.of(new VersionKey("web", 2), 1), pool.stats().idle());
        assertEquals(StartKind.WARM, invoke(FakeNode.image("web", "u", 2, 0), "{}").start(), "version 2 still served warm");
    }

    @Test
    void aLateCallOfARetiredVersion_doesNotMakeTheNodeKeepItsCode_butPreparingItAgainDoes() throws Exception {
        pool.close();
        var codeClock = new MutableClock(FakeNode.T0);
        Duration grace = Duration.ofMinutes(10);
        var code = new CodeCache(fakes.config.nodeDir().resolve("code"), digest -> new ByteArrayInputStream(FakeNode.ARCHIVE),
                ZipLimits.DEFAULT, new CodeCacheSettings(grace, 1L << 40), codeClock);
        pool = new LocalPoolManager(fakes.config, fakes.engine, fakes.agent, code, fakes.clock, fakes.ticker);
        pool.begin();
        FunctionSpec v1 = FakeNode.python("u", 128);
        invoke(v1, "{}");
        assertTrue(code.holds(FakeNode.DIGEST));

        pool.retireVersions(v1.id(), Set.of(v1.version()));
        // A call that resolved version 1 before its retirement reaches the node after it.
        invoke(v1, "{}");
        codeClock.advance(grace);
        code.sweep();
        assertFalse(code.holds(FakeNode.DIGEST), "a retired version's code goes after its grace, late calls or not");

        // An alias rolled back to version 1: the control plane prepares it again, and its code stays while it is used.
        pool.prepare(v1);
        code.materialize(FakeNode.DIGEST);
        codeClock.advance(grace.multipliedBy(2));
        code.sweep();
        assertTrue(code.holds(FakeNode.DIGEST), "a version prepared again keeps its code");
    }

    @Test
    void close_removesEveryContainer_andRefusesLaterCalls() {
        invoke(HTTP, "{}");
        String id = fakes.engine.running.keySet().iterator().next();
        pool.close();
        assertTrue(fakes.engine.removed.contains(id));
        assertTrue(fakes.engine.closed && fakes.agent.closed);
        PoolException refused = assertThrows(PoolException.class, () -> invoke(HTTP, "{}"));
        assertTrue(refused.getMessage().contains("shutting down"), refused::getMessage);
    }

    @Test
    void preparingAVersionNeverCalled_growsThePoolByOne_onlyWhenItsFirstCallCanUseIt_untilItIsRetired() throws Exception {
        pool.close();
        fakes.close();
        fakes = new FakeNode(runDir, 16, 4096, Map.of(Language.PYTHON, new RuntimeConfig("hearth/runtime-python", 1, 4)),
                new PoolSizingSettings(Duration.ofSeconds(20), 0.0, 4, 2));
        var code = new CodeCache(fakes.config.nodeDir().resolve("code"), digest -> new ByteArrayInputStream(FakeNode.ARCHIVE),
                ZipLimits.DEFAULT, CodeCacheSettings.DEFAULT, fakes.clock);
        pool = new LocalPoolManager(fakes.config, fakes.engine, fakes.agent, code, fakes.clock, fakes.ticker);
        pool.begin();
        assertEquals(1, held(pool), "the floor");

        pool.prepare(FakeNode.source("egress", Language.PYTHON, FakeNode.POOL_MB, true));
        assertEquals(1, held(pool), "a function with egress starts cold: no container is started for it");

        pool.prepare(FakeNode.source("bigger", Language.PYTHON, 2 * FakeNode.POOL_MB, false));
        assertEquals(2, held(pool), "one more for the first call to come (Python resizes: its memory does not matter)");
        FunctionSpec first = FakeNode.source("alice", Language.PYTHON, FakeNode.POOL_MB, false);
        pool.prepare(first);
        assertEquals(3, held(pool));

        assertEquals(StartKind.POOL, invoke(first, "{}").start());
        pool.prepare(first);
        assertEquals(2, held(pool), "alice's first call came; a version already called here is not expected again");

        // bigger is deleted before its first call: it holds nothing from then on, so carol's one
        // container to come is the one already there.
        pool.retire(FakeNode.source("bigger", Language.PYTHON, 2 * FakeNode.POOL_MB, false).id());
        pool.prepare(FakeNode.source("carol", Language.PYTHON, FakeNode.POOL_MB, false));
        assertEquals(2, held(pool), "the floor and carol's first call; none for bigger");

        FunctionSpec dave = FakeNode.source("dave", Language.PYTHON, FakeNode.POOL_MB, false);
        pool.prepare(dave);
        assertEquals(3, held(pool));
        pool.retireVersions(dave.id(), Set.of(dave.version()));
        pool.prepare(FakeNode.source("erin", Language.PYTHON, FakeNode.POOL_MB, false));
        assertEquals(3, held(pool), "dave's only version was let go before its first call: erin takes its place");
    }

    /**
     * The Python containers {@code pool} holds once the starts it handed out have ended: waiting
     * and starting are read one after the other, so a start ending between the two reads would be
     * counted in neither.
     */
    static int held(LocalPoolManager pool) throws InterruptedException {
        for (int i = 0; i < 1_000 && pool.stats().starting().getOrDefault("python", 0) > 0; i++) {
            Thread.sleep(10);
        }
        PoolStats stats = pool.stats();
        assertEquals(0, stats.starting().getOrDefault("python", 0), "the fake starts end at once");
        return stats.prewarmed().getOrDefault("python", 0);
    }
}
