package dev.hearth.poolmanager.agent;

import dev.hearth.poolmanager.InvokeRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * How the pool talks to the agent in a container (runtimes/README.md has the protocol).
 * {@link UnixSocketAgentClient} is the real one; unit tests give the pool a fake.
 */
public interface AgentClient extends AutoCloseable {

    /** Largest agent answer accepted, as Lambda's synchronous response limit, plus envelope room. */
    int MAX_REPLY_BYTES = 6 * 1024 * 1024 + 64 * 1024;
    /** Per invocation, as agents keep it; a larger prefix is cut to this. */
    int MAX_LOG_BYTES = 64 * 1024 + 256;

    /**
     * Asks the agent's health check once. The caller knows the socket is the container's own
     * (see the pool's container folders); the agent binds under a temporary name and renames, so
     * a socket at this path already accepts connections.
     */
    void checkHealth(Path socket, Duration timeout) throws IOException, TimeoutException, InterruptedException;

    /** Loads a function into the agent; {@code spec} is the JSON of runtimes/README.md's /init. */
    AgentReply init(Path socket, byte[] spec, Duration timeout) throws IOException, TimeoutException, InterruptedException;

    /**
     * Runs one invocation: its id, event, qualifier and client context go to the agent's
     * {@code /run}, and the deadline, so the handler's context can report time left.
     */
    AgentReply run(Path socket, InvokeRequest request, long deadlineEpochMs, Duration timeout)
            throws IOException, TimeoutException, InterruptedException;

    @Override
    void close();

    /** The agent's answer was larger than {@link #MAX_REPLY_BYTES}; reading it was abandoned. */
    final class ReplyTooLargeException extends IOException {
        public ReplyTooLargeException(int limit) {
            super("reply larger than " + limit + " bytes");
        }
    }
}
