package dev.hearth.controlplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A refused body's answer reaches a client that writes its whole request before it reads, as
 * the JDK's HttpClient and most SDKs do: the rest of a declared body up to
 * {@link BodyReader.DRAIN_LIMIT} is read and thrown away before the connection closes, since
 * closing on unread bytes resets the connection and takes the answer with it. A longer body, or
 * one that stalls, is closed on without reading on.
 */
class RefusedBodyTest {

    private static final int LIMIT = 1024 * 1024;

    private static HttpServer start(Duration bodyTimeout) {
        var http = new HttpSettings(2, 100, Duration.ofSeconds(10), Duration.ofSeconds(60), bodyTimeout, 64L * 1024 * 1024);
        return HttpServer.start("127.0.0.1", 0, http, List.of(routes -> routes.post("/take",
                HttpServer.route(LIMIT, exchange -> Exchanges.sendJson(exchange, 200,
                        Map.of("bytes", Exchanges.body(exchange, LIMIT).length))))));
    }

    private static void assertTooLarge(RawHttp.Answer answer) {
        assertEquals(413, answer.status(), answer::toString);
        assertEquals("too_large", answer.errorType(), answer::toString);
        assertEquals("close", answer.headers().get("connection"), answer::toString);
    }

    @Test
    void aDeclaredBodyOverTheLimit_writtenInFullBeforeReading_getsIts413() throws IOException {
        try (var server = start(Duration.ofSeconds(30)); var client = new RawHttp(server.port(), Duration.ofSeconds(30))) {
            client.write(RawHttp.head("POST", "/take", "Content-Length", String.valueOf(8 * LIMIT)));
            // Far more than the kernel buffers hold: a server that stopped reading would block
            // this write until it reset the connection.
            client.write(new byte[8 * LIMIT]);
            assertTooLarge(client.read());
        }
    }

    @Test
    void aBodyThatPassesTheLimitAsItArrives_writtenInFull_getsIts413() throws IOException {
        try (var server = start(Duration.ofSeconds(30)); var client = new RawHttp(server.port(), Duration.ofSeconds(30))) {
            // Declared within the limit would not be refused at once; this declares the truth, so
            // refusal comes from the bytes counted, past the limit.
            byte[] body = new byte[LIMIT + 1];
            client.write(RawHttp.head("POST", "/take", "Content-Length", String.valueOf(body.length)));
            client.write(body);
            assertTooLarge(client.read());
        }
    }

    @Test
    void aDeclaredBodyPastTheDrainLimit_isAnsweredAndClosed_withoutWaitingForIt() throws IOException {
        try (var server = start(Duration.ofMinutes(5))) {
            byte[] head = RawHttp.head("POST", "/take", "Content-Length", String.valueOf(BodyReader.DRAIN_LIMIT + 1));
            // The body deadline is five minutes and the read timeout thirty seconds: an answer
            // followed by the close can only come from the server not waiting for the body.
            var answer = RawHttp.sendUntilClosed(server.port(), Duration.ofSeconds(30), List.of(head, new byte[64 * 1024]), 0);
            assertTooLarge(answer);
        }
    }

    @Test
    void aRefusedBodyThatStalls_isClosedAtTheBodyDeadline() throws IOException {
        try (var server = start(Duration.ofSeconds(1))) {
            byte[] head = RawHttp.head("POST", "/take", "Content-Length", String.valueOf(2 * LIMIT));
            var answer = RawHttp.sendUntilClosed(server.port(), Duration.ofSeconds(30), List.of(head, new byte[1024]), 0);
            assertTooLarge(answer);
        }
    }

    @Test
    void afterADrainedRefusal_theServerStillTakesBodies() throws IOException {
        try (var server = start(Duration.ofSeconds(30))) {
            try (var client = new RawHttp(server.port(), Duration.ofSeconds(30))) {
                client.write(RawHttp.head("POST", "/take", "Content-Length", String.valueOf(3 * LIMIT)));
                client.write(new byte[3 * LIMIT]);
                assertTooLarge(client.read());
            }
            var taken = RawHttp.send(server.port(), "POST", "/take", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(200, taken.status(), taken::toString);
            assertEquals(2, taken.json().get("bytes").asInt());
        }
    }
}
