package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One call in a container of a fake engine, answered by a scripted agent: where the container goes, and what the call says. */
class CallRunnerTest {

    static final FunctionSpec FUNCTION = FakeNode.image("fn", "u", 1, 0);

    @TempDir
    Path runDir;
    FakeNode pool;
    Fleet fleet;
    CallRunner runner;
    WarmSet set;
    ContainerHandle container;

    @BeforeEach
    void start() throws Exception {
        pool = new FakeNode(runDir, 4, 1024, Map.of(Language.PYTHON, 0));
        fleet = pool.fleet((owner, memoryMb) -> false);
        runner = new CallRunner(pool.agent, pool.engine, fleet, pool.clock, pool.ticker, "node-a");
        set = new WarmSet("u");
        container = FakeNode.start(fleet, FUNCTION);
    }

    @AfterEach
    void stop() throws IOException {
        pool.close();
    }

    Invocation call(String event) {
        return runner.run(set, container, new InvokeRequest(FUNCTION, "inv-1", event.getBytes(StandardCharsets.UTF_8)),
                StartKind.POOL, 7);
    }

    static String json(Outcome.FunctionError error) throws IOException {
        return new ObjectMapper().readTree(error.json()).get("errorType").asText();
    }

    @Test
    void answeredCall_isASuccess_andTheContainerGoesBackWarm() {
        pool.agent.run = (socket, id, event) -> {
            pool.ticker.advance(Duration.ofMillis(3));
            return new AgentReply(200, event, "log".getBytes(StandardCharsets.UTF_8), false);
        };
        Invocation invocation = call("{\"a\":1}");
        assertEquals("{\"a\":1}", new String(assertInstanceOf(Outcome.Success.class, invocation.outcome()).json(), StandardCharsets.UTF_8));
        assertEquals(StartKind.POOL, invocation.start());
        assertEquals(7, invocation.initMicros());
        assertEquals(3_000, invocation.runMicros(), "timed on the ticker");
        assertEquals("node-a", invocation.node());
        assertEquals(container, set.take().container(), "warm for the next call");
        assertTrue(pool.engine.removed.isEmpty());
        assertEquals(0, runner.busy());
    }

    @Test
    void timeout_discardsTheContainer() {
        pool.agent.run = (socket, id, event) -> {
            throw new TimeoutException("no answer");
        };
        Invocation invocation = call("{}");
        assertEquals(new Outcome.Timeout(1000), invocation.outcome());
        assertEquals(0, set.idleCount(), "its handler may still run: never reused");
        assertTrue(pool.engine.removed.contains(container.id()));
    }

    @Test
    void replyTooLarge_isAFunctionError_andTheContainerGoes() throws Exception {
        pool.agent.run = (socket, id, event) -> {
            throw new AgentClient.ReplyTooLargeException(AgentClient.MAX_REPLY_BYTES);
        };
        var error = assertInstanceOf(Outcome.FunctionError.class, call("{}").outcome());
        assertEquals("Runtime.ResponseTooLarge", json(error));
        assertEquals(0, set.idleCount(), "its reply was cut off unread: never reused");
        assertTrue(pool.engine.removed.contains(container.id()));
    }

    @Test
    void crash_asksTheEngineWhy_andNamesAnOutOfMemoryKill() {
        pool.agent.run = (socket, id, event) -> {
            throw new IOException("connection reset");
        };
        pool.engine.oomKilled.add(container.id());
        var crashed = assertInstanceOf(Outcome.Crashed.class, call("{}").outcome());
        assertEquals("the function ran out of memory (memoryMb 128) and was killed", crashed.reason());
        assertEquals(0, set.idleCount());
        assertTrue(pool.engine.removed.contains(container.id()));
    }

    @Test
    void crash_notForMemory_saysTheProcessDied() {
        pool.agent.run = (socket, id, event) -> {
            throw new IOException("connection reset");
        };
        var crashed = assertInstanceOf(Outcome.Crashed.class, call("{}").outcome());
        assertEquals("the function's process exited or was killed mid-call", crashed.reason());
    }

    @Test
    void imagesNonJson200_isAnInvalidResponse_andTheContainerIsReused() throws Exception {
        pool.agent.run = (socket, id, event) -> new AgentReply(200, "hello".getBytes(StandardCharsets.UTF_8), new byte[0], false);
        var error = assertInstanceOf(Outcome.FunctionError.class, call("{}").outcome());
        assertEquals("Runtime.InvalidResponse", json(error));
        assertEquals(1, set.idleCount(), "the image's server answered: it can take the next call");
    }

    @Test
    void imagesFunctionErrorWithoutAJsonObject_isWordedByHearth() throws Exception {
        pool.agent.run = (socket, id, event) -> new AgentReply(500, "boom".getBytes(StandardCharsets.UTF_8), new byte[0], true);
        var error = assertInstanceOf(Outcome.FunctionError.class, call("{}").outcome());
        assertEquals("Runtime.FunctionError", json(error));
        assertEquals(1, set.idleCount());
    }

    @Test
    void agentRefusingTheCall_isACrash_andTheContainerGoes() {
        pool.agent.run = (socket, id, event) -> new AgentReply(503, new byte[0], new byte[0], false);
        var crashed = assertInstanceOf(Outcome.Crashed.class, call("{}").outcome());
        assertEquals("agent refused the invocation with HTTP 503", crashed.reason());
        assertTrue(pool.engine.removed.contains(container.id()));
    }

    @Test
    void afterClose_aReusableContainerIsRemoved() {
        runner.close();
        assertInstanceOf(Outcome.Success.class, call("{}").outcome());
        assertEquals(0, set.idleCount());
        assertTrue(pool.engine.removed.contains(container.id()));
    }
}
