package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.code.ArchiveException;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.ContainerSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Hot-loads one function version into a generic container: its code appears in the container's
 * mounted folder (hard links from the node's code cache) and the agent's {@code /init} loads it.
 * No Docker call is made unless the function needs a different memory limit than the pool's.
 */
final class Specializer {

    /** Loading a function's code may take this long, as Lambda's init phase. */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);

    private final CodeCache code;
    private final ContainerEngine engine;
    private final AgentClient agent;
    private final ObjectMapper json;

    Specializer(CodeCache code, ContainerEngine engine, AgentClient agent, ObjectMapper json) {
        this.code = code;
        this.engine = engine;
        this.agent = agent;
        this.json = json;
    }

    /** The function's code could not be loaded; {@code reply} holds the agent's error object. */
    static final class InitFailed extends Exception {
        final AgentReply reply;

        InitFailed(AgentReply reply) {
            super("agent /init answered " + reply.status());
            this.reply = reply;
        }
    }

    /** Brings the function's code into the node's cache ahead of its first call. */
    void prefetch(FunctionSpec function) throws IOException, ArchiveException {
        code.materialize(function.codeDigest());
    }

    /** Returns the container as it now is (its memory limit may have changed). */
    ContainerHandle specialize(ContainerHandle container, FunctionSpec function)
            throws IOException, ArchiveException, TimeoutException, InterruptedException, InitFailed {
        CodeCache.linkInto(code.materialize(function.codeDigest()), container.codeDir());
        ContainerHandle ready = container;
        if (container.memoryMb() != function.memoryMb() && function.language().resizable()) {
            engine.resize(container.id(), function.memoryMb());
            ready = container.withMemory(function.memoryMb());
        }
        AgentReply reply = agent.init(ready.socket(), initBody(function), INIT_TIMEOUT);
        if (!reply.ok()) {
            throw new InitFailed(reply);
        }
        return ready;
    }

    private byte[] initBody(FunctionSpec function) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("handler", function.handler());
        body.put("codeDir", ContainerSpec.MOUNT_POINT + "/code");
        body.put("functionName", function.name());
        body.put("functionVersion", Long.toString(function.version()));
        body.put("memoryMb", function.memoryMb());
        body.put("timeoutMs", function.timeoutMs());
        body.put("env", function.env());
        return json.writeValueAsBytes(body);
    }
}
