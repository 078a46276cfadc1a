package dev.hearth.poolmanager.agent;

import dev.hearth.poolmanager.InvokeRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Talks to in-container agents over HTTP/1.1 on their Unix sockets. One Jetty client serves every container: each socket is its own destination, so
 * connections to a container are pooled and kept alive between invocations.
 */
public final class UnixSocketAgentClient implements AgentClient {

    private static final String FUNCTION_ERROR_HEADER = "X-Hearth-Function-Error";
    private static final String LOG_BYTES_HEADER = "X-Hearth-Log-Bytes";
    private static final byte[] NO_LOGS = new byte[0];

    private final HttpClient http;

    public UnixSocketAgentClient() {
        var threads = new QueuedThreadPool(64, 4);
        threads.setName("agent-client");
        threads.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(4);
        http.setDestinationIdleTimeout(60_000);
        http.setIdleTimeout(300_000);
        http.setFollowRedirects(false);
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the agent HTTP client", e);
        }
    }

    /**
     * Asks the agent's health check once. The caller knows the socket is the container's own
     * (see the pool's container folders); the agent binds under a temporary name and renames, so
     * a socket at this path already accepts connections.
     */
    @Override
    public void checkHealth(Path socket, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        AgentReply reply = send(request(socket, HttpMethod.GET, "/healthz"), timeout);
        if (!reply.ok()) {
            throw new IOException("agent health check answered " + reply.status());
        }
    }

    /** Loads a function into the agent; {@code spec} is the JSON of runtimes/README.md's /init. */
    @Override
    public AgentReply init(Path socket, byte[] spec, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return send(request(socket, HttpMethod.POST, "/init").body(new BytesRequestContent("application/json", spec)), timeout);
    }

    /**
     * Runs one invocation; the deadline is passed on so the handler's context can report time
     * left, the qualifier and client context (checked by the control plane) for its context too.
     */
    @Override
    public AgentReply run(Path socket, InvokeRequest call, long deadlineEpochMs, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        Request request = request(socket, HttpMethod.POST, "/run")
                .headers(h -> {
                    h.put("X-Hearth-Request-Id", call.invocationId()).put("X-Hearth-Deadline-Ms", Long.toString(deadlineEpochMs));
                    if (call.qualifier() != null) {
                        h.put("X-Hearth-Qualifier", call.qualifier());
                    }
                    if (call.clientContext() != null) {
                        h.put("X-Hearth-Client-Context", call.clientContext());
                    }
                })
                .body(new BytesRequestContent("application/json", call.event()));
        return send(request, timeout);
    }

    private Request request(Path socket, HttpMethod method, String path) {
        return http.newRequest("http://agent" + path).method(method).transport(new Transport.TCPUnix(socket));
    }

    private static AgentReply send(Request request, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ContentResponse response = new CompletableResponseListener(request, MAX_REPLY_BYTES).send().get();
            byte[] content = response.getContent();
            int logBytes = logBytes(response.getHeaders().get(LOG_BYTES_HEADER), content.length);
            byte[] logs = logBytes == 0 ? NO_LOGS : Arrays.copyOfRange(content, 0, logBytes);
            byte[] body = logBytes == 0 ? content : Arrays.copyOfRange(content, logBytes, content.length);
            return new AgentReply(response.getStatus(), body, logs, response.getHeaders().contains(FUNCTION_ERROR_HEADER));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException timeoutException) {
                throw timeoutException;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof IllegalArgumentException && String.valueOf(cause.getMessage()).contains("exceeded")) {
                throw new AgentClient.ReplyTooLargeException(MAX_REPLY_BYTES);
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /** The log prefix's length; a header that lies about it is a broken agent. */
    private static int logBytes(String header, int contentLength) throws IOException {
        if (header == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(header.trim());
            if (n < 0 || n > contentLength) {
                throw new IOException("agent sent " + LOG_BYTES_HEADER + " " + n + " for a body of " + contentLength);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("agent sent a malformed " + LOG_BYTES_HEADER + ": " + header);
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the agent HTTP client", e);
        }
    }
}
