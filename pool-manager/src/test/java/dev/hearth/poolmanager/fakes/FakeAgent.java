package dev.hearth.poolmanager.fakes;

import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.agent.AgentClient;
import dev.hearth.poolmanager.agent.AgentReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * An agent client that talks to no container, for unit tests of the pool: it records each call
 * and answers as the test scripts it (by default: healthy, {@code /init} 200, {@code /run}
 * echoing the event).
 */
public final class FakeAgent implements AgentClient {

    @FunctionalInterface
    public interface Health {
        void check(Path socket) throws IOException, TimeoutException, InterruptedException;
    }

    @FunctionalInterface
    public interface Init {
        AgentReply init(Path socket, byte[] spec) throws IOException, TimeoutException, InterruptedException;
    }

    @FunctionalInterface
    public interface Run {
        AgentReply run(Path socket, String invocationId, byte[] event) throws IOException, TimeoutException, InterruptedException;
    }

    public record Call(Path socket, String invocationId, byte[] body) {}

    public final List<Path> healthChecks = new CopyOnWriteArrayList<>();
    public final List<Call> inits = new CopyOnWriteArrayList<>();
    public final List<Call> runs = new CopyOnWriteArrayList<>();
    /** Every run's whole request (qualifier and client context included), in order. */
    public final List<InvokeRequest> requests = new CopyOnWriteArrayList<>();
    public volatile Health health = socket -> {};
    public volatile Init init = (socket, spec) -> ok("{}");
    public volatile Run run = (socket, id, event) -> new AgentReply(200, event, new byte[0], false);
    public volatile boolean closed;

    public static AgentReply ok(String json) {
        return new AgentReply(200, json.getBytes(StandardCharsets.UTF_8), new byte[0], false);
    }

    @Override
    public void checkHealth(Path socket, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        healthChecks.add(socket);
        health.check(socket);
    }

    @Override
    public AgentReply init(Path socket, byte[] spec, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        inits.add(new Call(socket, null, spec));
        return init.init(socket, spec);
    }

    @Override
    public AgentReply run(Path socket, InvokeRequest request, long deadlineEpochMs, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        runs.add(new Call(socket, request.invocationId(), request.event()));
        requests.add(request);
        return run.run(socket, request.invocationId(), request.event());
    }

    @Override
    public void close() {
        closed = true;
    }
}
