package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.docker.ContainerSpec;
import dev.hearth.poolmanager.fakes.ManualScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a function version gets a ready container, over a fake engine and agent. */
class StarterTest {

    @TempDir
    Path runDir;

    final ManualScheduler scheduler = new ManualScheduler();
    final AtomicInteger roomFound = new AtomicInteger();
    FakeNode node;
    Fleet fleet;
    PrewarmedPools prewarmed;
    Starter starter;

    /** A node whose pools are filled before the test starts. */
    Starter starter(int maxContainers, Map<Language, Integer> poolSizes) throws IOException {
        node = new FakeNode(runDir.resolve("run"), maxContainers, 4096, poolSizes);
        fleet = node.fleet((owner, memoryMb) -> false);
        prewarmed = new PrewarmedPools(node.config, new PoolPolicy(node.config.idleTimeout(), maxContainers), fleet, scheduler, scheduler,
                node.clock);
        prewarmed.refillAll();
        scheduler.runDue();
        var specializer = new Specializer(node.code(Files.createDirectories(runDir.resolve("code"))), node.agent, new ObjectMapper(),
                new LambdaEnv(node.config.lambda(), node.clock));
        starter = new Starter(node.config, prewarmed, fleet, specializer);
        return starter;
    }

    Starter starter() throws IOException {
        return starter(8, Map.of(Language.PYTHON, 1, Language.JAVA, 1));
    }

    Starter.Ready start(FunctionSpec function) throws InterruptedException {
        return starter.start(function, roomFound::incrementAndGet);
    }

    @AfterEach
    void close() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void start_takesAPooledContainer_givesItToTheOwner_andLoadsTheFunction() throws Exception {
        starter();
        String pooledId = node.engine.running.keySet().stream().filter(id -> node.engine.running.get(id).labels()
                .get("dev.hearth.kind").equals("python")).findFirst().orElseThrow();

        Starter.Ready ready = start(FakeNode.python("alice", FakeNode.POOL_MB));

        assertEquals(StartKind.POOL, ready.kind());
        assertNull(ready.failure());
        assertEquals(pooledId, ready.container().id());
        assertEquals(2, node.engine.started.size(), "no container started for the call");
        assertEquals(1, roomFound.get());
        assertEquals(new FairShare.Usage(1, FakeNode.POOL_MB), fleet.held().get("alice"));
        assertEquals(1, node.cpu.containersOf("alice"));
        assertEquals(1, node.agent.inits.size());
        assertEquals(ready.container().socket(), node.agent.inits.get(0).socket());
        assertTrue(Files.exists(ready.container().codeDir().resolve("main.py")));
    }

    @Test
    void start_withThePoolEmpty_startsAContainerForTheFunction() throws Exception {
        starter(8, Map.of(Language.PYTHON, 0));

        Starter.Ready ready = start(FakeNode.python("alice", 256));

        assertEquals(StartKind.COLD, ready.kind());
        ContainerSpec spec = node.engine.started.get(0);
        assertEquals("python", spec.labels().get("dev.hearth.kind"));
        assertEquals(256, spec.memoryMb(), "started at the function's size");
        assertEquals(1, roomFound.get());
        assertEquals(new FairShare.Usage(1, 256), fleet.held().get("alice"));
        assertEquals(1, node.agent.inits.size());
    }

    @Test
    void start_resizesAPooledContainer_forALargerMemoryMb() throws Exception {
        starter();

        Starter.Ready ready = start(FakeNode.python("alice", 512));

        assertEquals(StartKind.POOL, ready.kind());
        assertEquals(512, ready.container().memoryMb());
        assertEquals(512, node.engine.memoryMb.get(ready.container().id()));
        assertEquals(new FairShare.Usage(1, 512), fleet.held().get("alice"));
    }

    @Test
    void start_aJavaFunctionOfAnotherSize_getsAContainerStartedAtItsSize_notAPooledOne() throws Exception {
        starter();

        Starter.Ready ready = start(FakeNode.source("alice", Language.JAVA, 512, false));

        assertEquals(StartKind.COLD, ready.kind());
        assertEquals(512, node.engine.started.get(2).memoryMb());
        assertEquals(Map.of("java", 1, "python", 1), prewarmed.waiting(), "the JVM's heap is sized at start: the pooled one stays");
    }

    @Test
    void start_anEgressFunction_getsAContainerOnTheEgressNetwork_neverAPooledOne() throws Exception {
        starter();

        Starter.Ready ready = start(FakeNode.source("alice", Language.PYTHON, FakeNode.POOL_MB, true));

        assertEquals(StartKind.COLD, ready.kind());
        assertEquals("hearth-egress", node.engine.started.get(2).network());
        assertEquals(Map.of("java", 1, "python", 1), prewarmed.waiting());
    }

    @Test
    void start_onAFullNode_isRefused_withoutStartingAnything() throws Exception {
        starter(1, Map.of(Language.PYTHON, 0));
        start(FakeNode.python("bob", 128));
        roomFound.set(0);

        PoolException refused = assertThrows(PoolException.class, () -> start(FakeNode.python("alice", 128)));

        assertTrue(refused.atCapacity());
        assertEquals(1, node.engine.started.size());
        assertEquals(0, roomFound.get());
    }

    @Test
    void start_aLanguageThisNodeDoesNotServe_isUnavailable() throws Exception {
        starter(8, Map.of(Language.PYTHON, 0));

        PoolException refused = assertThrows(PoolException.class, () -> start(FakeNode.source("alice", Language.NODE, 128, false)));

        assertFalse(refused.atCapacity());
        assertTrue(node.engine.started.isEmpty());
    }

    @Test
    void start_aFailedInit_isTheFunctionsError_andItsContainerIsRemoved() throws Exception {
        starter();
        byte[] error = "{\"errorType\":\"Runtime.ImportModuleError\"}".getBytes(StandardCharsets.UTF_8);
        node.agent.init = (socket, spec) -> new AgentReply(500, error, new byte[0], true);

        Starter.Ready ready = start(FakeNode.python("alice", FakeNode.POOL_MB));

        assertEquals(StartKind.POOL, ready.kind());
        assertNull(ready.container());
        assertEquals(new String(error, StandardCharsets.UTF_8),
                new String(assertInstanceOf(Outcome.FunctionError.class, ready.failure()).json(), StandardCharsets.UTF_8));
        assertEquals(1, node.engine.removed.size());
        assertNull(fleet.held().get("alice"), "its room is given back");
        assertEquals(1, node.agent.inits.size(), "the function's own failure is not retried");
    }

    @Test
    void start_aPooledContainerFailingBeforeItsFunctionLoads_isReplacedByAFreshOneOnce() throws Exception {
        starter();
        AtomicInteger inits = new AtomicInteger();
        node.agent.init = (socket, spec) -> {
            if (inits.incrementAndGet() == 1) {
                throw new IOException("connection reset");
            }
            return new AgentReply(200, "{}".getBytes(StandardCharsets.UTF_8), new byte[0], false);
        };
        String pooled = node.engine.started.stream().filter(s -> s.labels().get("dev.hearth.kind").equals("python"))
                .findFirst().orElseThrow().name();

        Starter.Ready ready = start(FakeNode.python("alice", FakeNode.POOL_MB));

        assertEquals(StartKind.COLD, ready.kind(), "what the call got is a container started for it");
        assertNull(ready.failure());
        assertNotEquals(pooled, node.engine.running.get(ready.container().id()).name());
        assertEquals(1, node.engine.removed.size(), "the broken pooled one is removed");
        assertEquals(new FairShare.Usage(1, FakeNode.POOL_MB), fleet.held().get("alice"));
    }

    @Test
    void start_aSecondFailureBeforeTheFunctionLoads_isACrash_inHearthsWords() throws Exception {
        starter();
        node.agent.init = (socket, spec) -> {
            throw new IOException("connection reset by /var/lib/hearth/run");
        };

        Starter.Ready ready = start(FakeNode.python("alice", FakeNode.POOL_MB));

        assertEquals(StartKind.COLD, ready.kind());
        assertEquals(new Outcome.Crashed("the container failed while loading the function"), ready.failure());
        assertEquals(2, node.engine.removed.size());
        assertNull(fleet.held().get("alice"));
    }

    @Test
    void start_anHttpImage_startsItsOwnServer_withTheFunctionsEnvironment_andNoInit() throws Exception {
        starter(8, Map.of(Language.PYTHON, 0));

        Starter.Ready ready = start(FakeNode.httpImage("alice"));

        assertEquals(StartKind.COLD, ready.kind());
        ContainerSpec spec = node.engine.started.get(0);
        assertEquals("example/http", spec.image());
        assertEquals("image", spec.labels().get("dev.hearth.kind"));
        assertEquals("test", spec.env().get("MODE"));
        assertEquals("server", spec.env().get("HEARTH_FUNCTION_NAME"));
        assertEquals(256, spec.memoryMb());
        assertTrue(node.agent.inits.isEmpty());
        assertEquals(1, node.agent.healthChecks.size(), "ready once its server answers /healthz");
    }

    @Test
    void start_anHttpImageWhoseServerNeverAnswers_crashes_andIsRemoved() throws Exception {
        starter(8, Map.of(Language.PYTHON, 0));
        node.agentsSilent();

        Starter.Ready ready = start(FakeNode.httpImage("alice"));

        assertEquals(StartKind.COLD, ready.kind());
        String reason = assertInstanceOf(Outcome.Crashed.class, ready.failure()).reason();
        assertTrue(reason.contains("did not answer GET /healthz on /run/hearth/agent.sock within 5 s"), reason);
        assertTrue(node.engine.running.isEmpty());
        assertEquals(0, fleet.containers());
    }
}
