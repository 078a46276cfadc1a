package dev.hearth.controlplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.controlplane.HearthExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * What a broken or hostile client sends at the transport: chunk sizes that cannot be read get a
 * JSON 400, a body that stops mid-frame a JSON 408, and a client that hangs up mid-body costs one
 * DEBUG line, never an ERROR with a stack trace (anyone could flood the log with those). A
 * route's own unexpected failure stays an ERROR in the log and a bare JSON 500 to the caller.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolNoiseIntegrationTest {

    private static final int BODY_TIMEOUT_SECONDS = 3;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.started()
            .with("HEARTH_HTTP_BODY_TIMEOUT_SECONDS", String.valueOf(BODY_TIMEOUT_SECONDS));
    int port;
    ListAppender<ILoggingEvent> log;

    @BeforeAll
    void start() {
        port = hearth.port();
    }

    @BeforeEach
    void captureLog() {
        log = new ListAppender<>();
        log.start();
        root().addAppender(log);
        ((Logger) LoggerFactory.getLogger(BodyReader.class)).setLevel(Level.DEBUG);
    }

    @AfterEach
    void releaseLog() {
        root().detachAppender(log);
        ((Logger) LoggerFactory.getLogger(BodyReader.class)).setLevel(null);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private List<ILoggingEvent> events(Level atLeast) {
        // Logback appends under the appender's own monitor (AppenderBase.doAppend), not the list's.
        synchronized (log) {
            return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast)).toList();
        }
    }

    private RawHttp.Answer chunked(String framing) throws IOException {
        try (var http = new RawHttp(port, Duration.ofSeconds(BODY_TIMEOUT_SECONDS + 20))) {
            return http.exchange(RawHttp.concat(RawHttp.head("POST", "/v1/users", "Transfer-Encoding", "chunked"),
                    framing.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "zz\r\nhello\r\n0\r\n\r\n",                       // not hex
        "ffffffffffffffffff\r\nhello\r\n0\r\n\r\n",       // past 2^64
        "-5\r\nhello\r\n0\r\n\r\n",                       // negative
        "5\r\nhello\r\n0\r\nnot a trailer\r\n\r\n",       // garbage where the trailers go
    })
    void anUnreadableChunkSize_isAJson400(String framing) throws IOException {
        RawHttp.Answer answer = chunked(framing);
        assertEquals(400, answer.status(), answer::toString);
        assertEquals("bad_request", answer.errorType(), answer::toString);
        assertEquals("application/json", answer.headers().get("content-type"));
        assertEquals("close", answer.headers().get("connection"));
        assertTrue(events(Level.ERROR).isEmpty(), () -> "ERROR logged: " + events(Level.ERROR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\r\nhello0\r\n\r\n", "5hello\r\n0\r\n\r\n"})
    void aChunkMissingItsCrlf_isAJson408AtTheBodyDeadline(String framing) throws IOException {
        long start = System.nanoTime();
        RawHttp.Answer answer = chunked(framing);
        assertEquals(408, answer.status(), answer::toString);
        assertEquals("request_timeout", answer.errorType(), answer::toString);
        assertTrue(System.nanoTime() - start >= Duration.ofSeconds(BODY_TIMEOUT_SECONDS - 1).toNanos());
    }

    @ParameterizedTest
    @ValueSource(strings = {"length-fin", "length-reset", "chunked-fin", "chunked-reset"})
    void aClientThatHangsUpMidBody_costsADebugLine_notAnError(String how) throws Exception {
        var http = new RawHttp(port, Duration.ofSeconds(5));
        byte[] head = how.startsWith("length")
                ? RawHttp.head("POST", "/v1/users", "Content-Length", "4000")
                : RawHttp.head("POST", "/v1/users", "Transfer-Encoding", "chunked");
        http.write(head);
        http.write(how.startsWith("length") ? new byte[1000] : "800\r\nabc".getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(200);
        if (how.endsWith("reset")) {
            http.resetOnClose();
        }
        http.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events(Level.DEBUG).stream().noneMatch(e -> e.getFormattedMessage().contains("stopped sending its body"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(events(Level.DEBUG).stream().anyMatch(e -> e.getFormattedMessage().contains("stopped sending its body")),
                () -> "no DEBUG line for the abort: " + events(Level.DEBUG));
        assertTrue(events(Level.ERROR).isEmpty(), () -> "ERROR logged: " + events(Level.ERROR));
        assertTrue(events(Level.WARN).isEmpty(), () -> "WARN logged: " + events(Level.WARN));
        RawHttp.Answer health = RawHttp.send(port, "GET", "/healthz", new byte[0]);
        assertTrue(health.status() == 200 || health.status() == 503, health::toString);
    }

    @Test
    void expectContinue_getsA100BeforeTheBody_orA413WithoutOne() throws IOException {
        String credentials = "{\"username\":\"waiter\",\"password\":\"correct horse battery\"}";
        try (var http = new RawHttp(port, Duration.ofSeconds(10))) {
            http.write(RawHttp.head("POST", "/v1/users", "Content-Length", String.valueOf(credentials.length()),
                    "Expect", "100-continue"));
            RawHttp.Answer go = http.read();
            assertEquals(100, go.status(), go::toString);
            http.write(credentials.getBytes(StandardCharsets.UTF_8));
            RawHttp.Answer created = http.read();
            assertEquals(201, created.status(), created::toString);
        }
        try (var http = new RawHttp(port, Duration.ofSeconds(10))) {
            http.write(RawHttp.head("POST", "/v1/users", "Content-Length", "5000", "Expect", "100-continue"));
            RawHttp.Answer refused = http.read();
            assertEquals(413, refused.status(), refused::toString);
            assertEquals("too_large", refused.errorType());
        }
    }

    /** A server of its own, for a route that fails as no Hearth route should. */
    private static HttpServer serverWith(String path, Route route, int maxConnections) {
        var http = new HttpSettings(2, maxConnections, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 1024 * 1024);
        return HttpServer.start("127.0.0.1", 0, http, List.of(routes -> routes.post(path, HttpServer.route(4096, route))));
    }

    @Test
    void aRouteThatFails_isABareJson500_andAnErrorWithItsStackTraceInTheLog() throws IOException {
        try (var server = serverWith("/boom", exchange -> {
            throw new IllegalStateException("broke at /srv/hearth/data/secret");
        }, 100)) {
            RawHttp.Answer answer = RawHttp.send(server.port(), "POST", "/boom", "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(500, answer.status(), answer::toString);
            assertEquals("internal", answer.errorType());
            assertFalse(answer.text().contains("IllegalStateException"), answer::toString);
            assertFalse(answer.text().contains("/srv/hearth"), answer::toString);
            List<ILoggingEvent> errors = events(Level.ERROR);
            assertEquals(1, errors.size(), () -> "errors: " + errors);
            assertTrue(errors.get(0).getThrowableProxy() != null, "the ERROR carries the stack trace");
        }
    }

    @Test
    void connectionsPastTheCap_waitUntilOneCloses() throws Exception {
        try (var server = serverWith("/echo", exchange -> Exchanges.sendJson(exchange, 200, Map.of("ok", true)), 4)) {
            List<RawHttp> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    var http = new RawHttp(server.port(), Duration.ofSeconds(10));
                    RawHttp.Answer answer = http.exchange(RawHttp.head("POST", "/echo", "Content-Length", "0"));
                    assertEquals(200, answer.status(), answer::toString);
                    open.add(http);
                }
                try (var fifth = new RawHttp(server.port(), Duration.ofSeconds(2))) {
                    fifth.write(RawHttp.head("POST", "/echo", "Content-Length", "0"));
                    assertThrowsTimeout(fifth);
                    open.remove(0).close();
                    fifth.setReadTimeout(Duration.ofSeconds(10));
                    RawHttp.Answer answer = fifth.read();
                    assertEquals(200, answer.status(), answer::toString);
                }
            } finally {
                for (RawHttp http : open) {
                    http.close();
                }
            }
        }
    }

    private static void assertThrowsTimeout(RawHttp http) throws IOException {
        try {
            RawHttp.Answer early = http.read();
            throw new AssertionError("a connection past the cap was served at once: " + early);
        } catch (java.net.SocketTimeoutException expected) {
            // not accepted yet: waiting in the backlog
        }
    }
}
