package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a fake server on loopback (the JDK's HTTP server). */
class HearthApiTest {

    private FakeServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer(this::handle);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization")
                + " " + body);
        switch (exchange.getRequestURI().getPath()) {
            case "/v1/functions/fn" -> send(exchange, 200, "application/json", "{\"name\":\"fn\"}");
            case "/v1/gone" -> send(exchange, 404, "application/json", "{\"error\":{\"type\":\"not_found\",\"message\":\"no function 'gone'\"}}");
            case "/v1/busy" -> send(exchange, 429, "application/json", "{\"error\":{\"type\":\"throttled\",\"message\":\"slow down\"}}");
            case "/v1/html" -> send(exchange, 500, "text/html", "<h1>oops</h1>");
            case "/v1/moved" -> {
                exchange.getResponseHeaders().set("Location", server.endpoint() + "/v1/functions/fn");
                send(exchange, 302, "text/plain", "");
            }
            case "/v1/events" -> send(exchange, 200, "text/event-stream", "event: log\ndata: {\"line\":\"a\"}\n\nevent: end\ndata: {}\n\n");
            case "/v1/endless" -> endless(exchange, exchange.getRequestURI().getQuery() == null ? "application/json" : "text/event-stream");
            default -> send(exchange, 200, "application/json", "{\"plain\":true}");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        FakeServer.send(exchange, status, type, body);
    }

    /** A hostile server's answer: data, with no line end, until the client goes away (at most 512 MiB). */
    private static void endless(HttpExchange exchange, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = ("data: " + "x".repeat(64 * 1024)).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 8 * 1024; i++) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // the client stopped reading: what is expected
        }
    }

    private HearthApi api() {
        return HearthApi.authenticated(new Profile(server.endpoint() + "/", "u", "secret"));
    }

    @Test
    void patch_sendsItsBodyAndToken() {
        assertEquals("fn", api().patch("/v1/functions/fn", Map.of("concurrency", 2)).path("name").asText());
        assertEquals("PATCH /v1/functions/fn Bearer secret {\"concurrency\":2}", seen.get(0));
    }

    @Test
    void errors_carryTheServersMessage_andTheStatusesExitCode() {
        CliException gone = assertThrows(CliException.class, () -> api().get("/v1/gone"));
        assertEquals(ExitCode.NOT_FOUND, gone.exitCode());
        assertEquals("no function 'gone'", gone.getMessage());
        assertEquals(ExitCode.THROTTLED, assertThrows(CliException.class, () -> api().delete("/v1/busy")).exitCode());
        CliException html = assertThrows(CliException.class, () -> api().post("/v1/html", Map.of()));
        assertEquals(ExitCode.UNAVAILABLE, html.exitCode());
        assertTrue(html.getMessage().contains("answered 500 without a Hearth error"), html.getMessage());
    }

    @Test
    void redirects_areNotFollowed_soTheTokenGoesNowhereElse() {
        CliException moved = assertThrows(CliException.class, () -> api().get("/v1/moved"));
        assertEquals(ExitCode.UNAVAILABLE, moved.exitCode());
        assertEquals(1, seen.size(), seen::toString);
    }

    @Test
    void follow_readsEvents_untilToldToStop_andSaysWhenTheServerDoesNotStream() {
        List<String> names = new CopyOnWriteArrayList<>();
        assertTrue(api().follow("/v1/events", e -> names.add(e.name()) && !e.name().equals("end")));
        assertEquals(List.of("log", "end"), names);
        assertFalse(api().follow("/v1/plain?follow=true", e -> true));
        assertEquals(ExitCode.NOT_FOUND, assertThrows(CliException.class, () -> api().follow("/v1/gone", e -> true)).exitCode());
    }

    @Test
    void query_encodesAndSkipsNulls() {
        assertEquals("/x?a=1+2&c=%24LATEST", Requests.query("/x", Requests.fields("a", "1 2", "b", null, "c", "$LATEST")));
        assertEquals("a%2Fb%20c", Requests.segment("a/b c"));
    }

    @Test
    void aHugeAnswer_orAnEndlessEventLine_isAnError_notAllTheMemory() {
        CliException huge = assertThrows(CliException.class, () -> api().get("/v1/endless"));
        assertEquals(ExitCode.UNAVAILABLE, huge.exitCode());
        assertTrue(huge.getMessage().contains("answered more than 64 MiB"), huge.getMessage());
        CliException patched = assertThrows(CliException.class, () -> api().patch("/v1/endless", Map.of("concurrency", 1)));
        assertTrue(patched.getMessage().contains("answered more than 64 MiB"), patched.getMessage());
        CliException line = assertThrows(CliException.class, () -> api().follow("/v1/endless?follow=true", e -> true));
        assertEquals(ExitCode.UNAVAILABLE, line.exitCode());
        assertTrue(line.getMessage().contains("a line of more than 1 MiB"), line.getMessage());
    }
}
