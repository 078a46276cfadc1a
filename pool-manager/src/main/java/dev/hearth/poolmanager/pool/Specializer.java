package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import dev.hearth.poolmanager.code.ArchiveException;
import dev.hearth.poolmanager.code.CodeCache;
import dev.hearth.poolmanager.code.FileTrees;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Hot-loads one function version into a runtime container (a pooled one, or one started for the
 * function): its code appears in the container's mounted folder (hard links from the node's code
 * cache) and the agent's {@code /init} loads it. It also tells the code cache which versions use
 * which code. The environment the agent is given is {@link LambdaEnv}'s. No Docker call is made
 * here; resizing is {@link Starter}'s.
 */
final class Specializer {

    /** Loading a function's code may take this long, as Lambda's init phase. */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);

    private final CodeCache code;
    private final AgentClient agent;
    private final ObjectMapper json;
    private final LambdaEnv env;

    Specializer(CodeCache code, AgentClient agent, ObjectMapper json, LambdaEnv env) {
        this.code = code;
        this.agent = agent;
        this.json = json;
        this.env = env;
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
    void prefetch(Workload.Source source) throws IOException, ArchiveException {
        code.materialize(source.codeDigest());
    }

    /** The version runs this code: the node keeps it until the version is retired (or the budget needs the room). */
    void use(FunctionSpec function, Workload.Source source) {
        code.use(function.id(), function.version(), source.codeDigest());
    }

    /** The function was deleted: its code goes after its grace period. */
    void retire(String functionId) {
        code.retire(functionId);
    }

    /** The version is prepared again after a retirement: its code is kept while used. */
    void revive(FunctionSpec function) {
        code.revive(function.id(), function.version());
    }

    /** These versions were retired: code no other version uses goes after its grace period. */
    void retireVersions(String functionId, Set<Long> versions) {
        code.retireVersions(functionId, versions);
    }

    void specialize(ContainerHandle container, FunctionSpec function, Workload.Source source)
            throws IOException, ArchiveException, TimeoutException, InterruptedException, InitFailed {
        // Pinned while linking, so the sweep cannot delete files that are half linked.
        try (CodeCache.Lease lease = code.lease(source.codeDigest())) {
            FileTrees.linkInto(lease.dir(), container.codeDir());
        }
        AgentReply reply = agent.init(container.socket(), initBody(container, function, source), INIT_TIMEOUT);
        if (!reply.ok()) {
            throw new InitFailed(reply);
        }
    }

    private byte[] initBody(ContainerHandle container, FunctionSpec function, Workload.Source source) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("handler", source.handler());
        body.put("codeDir", LambdaEnv.TASK_ROOT);
        body.put("functionName", function.name());
        body.put("functionVersion", Long.toString(function.version()));
        body.put("memoryMb", function.memoryMb());
        body.put("timeoutMs", function.timeoutMs());
        body.put("env", env.of(function, source, container));
        return json.writeValueAsBytes(body);
    }
}
