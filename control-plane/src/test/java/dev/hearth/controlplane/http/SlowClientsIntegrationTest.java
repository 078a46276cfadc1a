package dev.hearth.controlplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.Api;
import dev.hearth.controlplane.HearthExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients hold connections, never worker threads, and not for long: with 200 connections
 * dribbling a body byte every two seconds (more than ten times the 16 workers), the API answers
 * at once; at the body deadline each slow one gets a 408 and is closed. Headers that dribble, and
 * connections that send nothing, are closed after their own timeouts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsIntegrationTest {

    private static final int SLOW = 200;
    private static final int BODY_TIMEOUT_SECONDS = 8;
    private static final int PARSE_TIMEOUT_SECONDS = 3;
    private static final int IDLE_TIMEOUT_SECONDS = 3;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_WORKER_THREADS", "16")
            .with("HEARTH_HTTP_BODY_TIMEOUT_SECONDS", String.valueOf(BODY_TIMEOUT_SECONDS))
            .with("HEARTH_HTTP_PARSE_TIMEOUT_SECONDS", String.valueOf(PARSE_TIMEOUT_SECONDS))
            .with("HEARTH_HTTP_IDLE_TIMEOUT_SECONDS", String.valueOf(IDLE_TIMEOUT_SECONDS));
    Api api;
    String token;
    int port;

    @BeforeAll
    void start() {
        port = hearth.port();
        api = hearth.api();
        token = api.userWithToken("patient");
    }

    /** One call on a fresh client that gives up after {@code timeout}; its status. */
    private int call(String method, String path, String body, Duration timeout) throws Exception {
        var client = HttpClient.newBuilder().connectTimeout(timeout).build();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void twoHundredSlowBodies_holdNoWorker_andGet408AtTheDeadline() throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        var dribbling = new AtomicBoolean(true);
        Thread dribbler = null;
        try {
            long opened = System.nanoTime();
            for (int i = 0; i < SLOW; i++) {
                var http = new RawHttp(port, Duration.ofSeconds(BODY_TIMEOUT_SECONDS + 20));
                http.write(RawHttp.head("POST", "/v1/users", "Content-Length", "1000", "Content-Type", "application/json"));
                http.write(new byte[] {'{'});
                slow.add(http);
            }
            // A byte every two seconds on each connection, for at most 30 s.
            dribbler = new Thread(() -> {
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (dribbling.get() && System.nanoTime() < until) {
                    for (RawHttp http : slow) {
                        try {
                            http.write(new byte[] {' '});
                        } catch (IOException closed) {
                            // closed by the server at the deadline: expected
                        }
                    }
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "dribbler");
            dribbler.setDaemon(true);
            dribbler.start();
            Thread.sleep(1_000);

            Duration quick = Duration.ofSeconds(3);
            assertEquals(200, call("GET", "/healthz", null, quick));
            assertEquals(200, call("GET", "/v1/functions", null, quick));
            assertEquals(201, call("POST", "/v1/users",
                    "{\"username\":\"meanwhile\",\"password\":\"correct horse battery\"}", quick));
            assertTrue(System.nanoTime() - opened < Duration.ofSeconds(BODY_TIMEOUT_SECONDS).toNanos(),
                    "the calls above must run while the slow bodies are still open");

            for (RawHttp http : slow) {
                RawHttp.Answer answer = http.read();
                assertEquals(408, answer.status(), answer::toString);
                assertEquals("request_timeout", answer.errorType());
                assertEquals("close", answer.headers().get("connection"));
                assertTrue(http.closedByServer(), "a timed-out connection is closed");
            }
            long took = System.nanoTime() - opened;
            assertTrue(took < Duration.ofSeconds(BODY_TIMEOUT_SECONDS + 15).toNanos(), "took " + took / 1_000_000 + " ms");
        } finally {
            dribbling.set(false);
            if (dribbler != null) {
                dribbler.interrupt();
            }
            for (RawHttp http : slow) {
                http.close();
            }
        }
        assertEquals(200, call("GET", "/healthz", null, Duration.ofSeconds(3)));
    }

    @Test
    void headersThatDribble_areClosedAfterTheParseTimeout() throws Exception {
        try (var http = new RawHttp(port, Duration.ofMillis(500))) {
            http.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + Duration.ofSeconds(PARSE_TIMEOUT_SECONDS + 10).toNanos();
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline) {
                try {
                    http.write("X".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                closed = http.closedByServer();
            }
            assertTrue(closed, "headers still open after the parse timeout");
        }
    }

    @Test
    void aConnectionThatSendsNothing_isClosedAfterTheIdleTimeout() throws Exception {
        try (var http = new RawHttp(port, Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 10))) {
            long start = System.nanoTime();
            assertTrue(http.closedByServer(), "an idle connection stayed open");
            assertTrue(System.nanoTime() - start >= Duration.ofSeconds(IDLE_TIMEOUT_SECONDS - 1).toNanos());
        }
        try (var http = new RawHttp(port, Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 10))) {
            RawHttp.Answer first = http.exchange(RawHttp.head("GET", "/healthz"));
            assertEquals(200, first.status(), first::toString);
            assertTrue(http.closedByServer(), "a kept-alive connection with no next request stayed open");
        }
    }
}
