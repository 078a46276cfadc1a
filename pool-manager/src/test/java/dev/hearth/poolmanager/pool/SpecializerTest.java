package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.LambdaSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.CodeCacheSettings;
import dev.hearth.poolmanager.code.TestZips;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.fakes.FakeAgent;
import dev.hearth.poolmanager.support.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot-loading with a real code cache on disk and a fake agent: no container, no Docker. */
class SpecializerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final FakeAgent agent = new FakeAgent();
    final AtomicInteger fetches = new AtomicInteger();
    byte[] archive;
    String digest;
    CodeCache code;
    Specializer specializer;
    ContainerHandle container;

    @BeforeEach
    void setUp() throws Exception {
        archive = TestZips.ofText(Map.of("main.py", "def handler(event, context):\n    return event\n", "lib/util.py", "X = 1\n"));
        digest = Digests.sha256Hex(archive);
        code = new CodeCache(dir.resolve("code"), d -> {
            fetches.incrementAndGet();
            if (!d.equals(digest)) {
                throw new IOException("no archive " + d);
            }
            return new ByteArrayInputStream(archive);
        }, ZipLimits.DEFAULT, CodeCacheSettings.DEFAULT, Clock.systemUTC());
        specializer = new Specializer(code, agent, JSON, new LambdaEnv(new LambdaSettings("eu-west-1", "123456789012"),
                Clock.fixed(java.time.Instant.parse("2025-03-04T05:06:07Z"), java.time.ZoneOffset.UTC)));
        container = new ContainerHandle("c1", "0123456789ab", "python", Files.createDirectories(dir.resolve("slot")), 128);
    }

    FunctionSpec function() {
        return new FunctionSpec("fn", "alice", "hello", 7, new Workload.Source(Language.PYTHON, "main.handler", digest),
                new FunctionSettings(256, 3000, 0, Map.of("GREETING", "hi"), false, 0));
    }

    Workload.Source source(FunctionSpec function) {
        return (Workload.Source) function.workload();
    }

    @Test
    void specialize_linksTheCodeIntoTheContainersFolder_thenCallsInit() throws Exception {
        FunctionSpec function = function();

        specializer.specialize(container, function, source(function));

        assertEquals("X = 1\n", Files.readString(container.codeDir().resolve("lib/util.py")));
        assertTrue(Files.isSameFile(code.materialize(digest).resolve("main.py"), container.codeDir().resolve("main.py")),
                "hard links from the node's cache, not copies");
        assertEquals(1, agent.inits.size());
        assertEquals(container.socket(), agent.inits.get(0).socket());
        JsonNode init = JSON.readTree(agent.inits.get(0).body());
        assertEquals("main.handler", init.get("handler").asText());
        assertEquals("/run/hearth/code", init.get("codeDir").asText(), "the path inside the container, not the host's");
        assertEquals("hello", init.get("functionName").asText());
        assertEquals("7", init.get("functionVersion").asText());
        assertEquals(256, init.get("memoryMb").asInt());
        assertEquals(3000, init.get("timeoutMs").asInt());
        assertEquals("hi", init.get("env").get("GREETING").asText());
    }

    @Test
    void specialize_givesTheAgentLambdasEnvironment_underTheFunctionsOwn() throws Exception {
        FunctionSpec function = new FunctionSpec("fn", "alice", "hello", 7, new Workload.Source(Language.PYTHON, "main.handler", digest),
                new FunctionSettings(256, 3000, 0, Map.of("GREETING", "hi", "AWS_REGION", "ap-south-2", "TZ", "Europe/Paris"), false, 0));

        specializer.specialize(container, function, source(function));

        JsonNode env = JSON.readTree(agent.inits.get(0).body()).get("env");
        Map<String, String> expected = new java.util.TreeMap<>(Map.ofEntries(
                Map.entry("AWS_REGION", "ap-south-2"),
                Map.entry("AWS_DEFAULT_REGION", "eu-west-1"),
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", "hello"),
                Map.entry("AWS_LAMBDA_FUNCTION_VERSION", "7"),
                Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"),
                Map.entry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/hello"),
                Map.entry("AWS_LAMBDA_LOG_STREAM_NAME", "2025/03/04/[7]0123456789ab"),
                Map.entry("AWS_EXECUTION_ENV", "AWS_Lambda_python3.13"),
                Map.entry("LAMBDA_TASK_ROOT", "/run/hearth/code"),
                Map.entry("LAMBDA_RUNTIME_DIR", "/opt/hearth"),
                Map.entry("_HANDLER", "main.handler"),
                Map.entry("TZ", "Europe/Paris"),
                Map.entry("HEARTH_ACCOUNT_ID", "123456789012"),
                Map.entry("GREETING", "hi")));
        Map<String, String> actual = new java.util.TreeMap<>();
        env.fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
        assertEquals(expected, actual, "Lambda's variables, the function's own winning where they share a name");
    }

    @Test
    void specialize_aFailedInit_isTheFunctionsError_withTheAgentsErrorObject() {
        byte[] error = "{\"errorType\":\"Runtime.ImportModuleError\",\"errorMessage\":\"No module named 'nope'\"}"
                .getBytes(StandardCharsets.UTF_8);
        agent.init = (socket, spec) -> new AgentReply(500, error, new byte[0], true);
        FunctionSpec function = function();

        Specializer.InitFailed failed = assertThrows(Specializer.InitFailed.class,
                () -> specializer.specialize(container, function, source(function)));

        assertEquals(500, failed.reply.status());
        assertArrayEquals(error, failed.reply.body());
    }

    @Test
    void specialize_anInitThatNeverAnswers_isATimeout() {
        agent.init = (socket, spec) -> {
            throw new TimeoutException("no answer");
        };
        FunctionSpec function = function();

        assertThrows(TimeoutException.class, () -> specializer.specialize(container, function, source(function)));
    }

    @Test
    void specialize_fetchesTheCodeOnce_forEveryContainerOfTheVersion() throws Exception {
        FunctionSpec function = function();
        specializer.specialize(container, function, source(function));
        specializer.specialize(new ContainerHandle("c2", "ba9876543210", "python", Files.createDirectories(dir.resolve("slot2")), 128),
                function, source(function));

        assertEquals(1, fetches.get(), "fetched once for both containers");
        assertTrue(code.holds(digest));
    }

    @Test
    void prefetch_bringsTheCodeOntoTheNode_beforeTheFirstCall() throws Exception {
        FunctionSpec function = function();

        specializer.prefetch(source(function));

        assertTrue(code.holds(digest));
        assertEquals(1, fetches.get());
        assertEquals(0, agent.inits.size(), "no container is involved");
    }

}
