package dev.hearth.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy flow against a fake Hearth on loopback (the JDK's HTTP server): create or update,
 * then the build stream, or polls where the server has no stream. Real Hearth is in the
 * control-plane's CLI integration tests.
 */
class DeployerTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private volatile boolean exists;
    private volatile boolean streams = true;
    private volatile String outcome = "succeeded";
    private final AtomicInteger buildPolls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        Files.writeString(dir.resolve("package.json"), "{\"name\":\"x\"}");
        Files.writeString(dir.resolve("index.js"), "exports.handler = async () => 1;");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().toString();
        requests.add(method + " " + path);
        exchange.getRequestBody().readAllBytes();
        switch (method + " " + path) {
            case "GET /v1/functions/fn" -> {
                if (!exists) {
                    send(exchange, 404, "application/json", "{\"error\":{\"type\":\"not_found\",\"message\":\"no function 'fn'\"}}");
                } else if (buildPolls.get() > 0 || requests.stream().anyMatch(r -> r.startsWith("GET /v1/functions/fn/build"))) {
                    send(exchange, 200, "application/json", "ready".equals(outcomeStatus())
                            ? "{\"name\":\"fn\",\"version\":2,\"status\":\"ready\"}"
                            : "{\"name\":\"fn\",\"version\":1,\"status\":\"ready\",\"update\":{\"version\":2,\"status\":\"failed\"}}");
                } else {
                    send(exchange, 200, "application/json", "{\"name\":\"fn\",\"version\":1,\"status\":\"ready\"}");
                }
            }
            case "POST /v1/functions" -> {
                exists = true;
                send(exchange, 202, "application/json", "{\"name\":\"fn\",\"version\":2,\"status\":\"building\"}");
            }
            case "PUT /v1/functions/fn" ->
                send(exchange, 202, "application/json", "{\"name\":\"fn\",\"version\":1,\"status\":\"ready\",\"update\":{\"version\":2,\"status\":\"building\"}}");
            case "GET /v1/functions/fn/build?follow=true" -> {
                if (!streams) {
                    send(exchange, 200, "application/json", buildJson(buildPolls.incrementAndGet()));
                    return;
                }
                send(exchange, 200, "text/event-stream", """
                        event: status
                        data: {"version":2,"status":"queued"}

                        : keep-alive

                        event: status
                        data: {"version":2,"status":"building"}

                        event: log
                        data: {"line":"npm install"}

                        event: log
                        data: {"line":"added 1 package"}

                        event: end
                        data: {"version":2,"status":"%s","durationMs":1200,"log":"npm install\\nadded 1 package\\nnpm ERR! boom\\n"}

                        """.formatted(outcome));
            }
            case "GET /v1/functions/fn/build" -> send(exchange, 200, "application/json", buildJson(buildPolls.incrementAndGet()));
            default -> send(exchange, 404, "application/json", "{\"error\":{\"type\":\"not_found\",\"message\":\"no route\"}}");
        }
    }

    private String outcomeStatus() {
        return outcome.equals("succeeded") ? "ready" : "failed";
    }

    /** The build as polls see it: queued, then building with a growing log, then the outcome. */
    private String buildJson(int poll) {
        return switch (poll) {
            case 1 -> "{\"version\":2,\"status\":\"queued\",\"log\":\"\"}";
            case 2 -> "{\"version\":2,\"status\":\"building\",\"log\":\"npm install\\nadd\"}";
            default -> "{\"version\":2,\"status\":\"" + outcome + "\",\"log\":\"npm install\\nadded 1 package\\n\"}";
        };
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private JsonNode deploy() {
        HearthApi api = HearthApi.authenticated(new Profile("http://127.0.0.1:" + server.getAddress().getPort(), "u", "t"));
        Output output = new Output(Output.Format.text, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Deployer(Duration.ofMillis(10)).deploy(api, "fn", Project.detect(dir, null, null), Map.of("memoryMb", 256), output);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void newFunction_isCreated_andTheBuildStreamShown() {
        JsonNode f = deploy();
        assertEquals(2, f.path("version").asInt());
        assertTrue(requests.contains("POST /v1/functions"), requests::toString);
        assertTrue(stderr().contains("  npm install\n  added 1 package\n"), stderr());
        assertTrue(stderr().contains("queued fn v2") && stderr().contains("building fn v2"), stderr());
        assertTrue(stderr().contains("built fn v2 in 1200 ms"), stderr());
    }

    @Test
    void existingFunction_isUpdatedWithPut() {
        exists = true;
        assertEquals(2, deploy().path("version").asInt());
        assertTrue(requests.contains("PUT /v1/functions/fn"), requests::toString);
        assertTrue(requests.stream().noneMatch(r -> r.equals("POST /v1/functions")), requests::toString);
    }

    @Test
    void serverWithoutStreams_isPolled_andItsLogShownLineByLine() {
        streams = false;
        assertEquals(2, deploy().path("version").asInt());
        assertTrue(requests.contains("GET /v1/functions/fn/build"), requests::toString);
        assertTrue(stderr().contains("building fn v2 (0 s)\n  npm install\n  added 1 package\nbuilt fn v2\n"), stderr());
    }

    @Test
    void failedBuild_showsTheLastLogLines_andIsExit1() {
        outcome = "failed";
        CliException e = assertThrows(CliException.class, this::deploy);
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertEquals("the build of fn v2 failed", e.getMessage());
        assertTrue(stderr().contains("build log (last 3 lines):\n  npm install\n  added 1 package\n  npm ERR! boom\n"), stderr());
    }

    @Test
    void supersededBuild_isAConflict() {
        outcome = "superseded";
        CliException e = assertThrows(CliException.class, this::deploy);
        assertEquals(ExitCode.CONFLICT, e.exitCode());
        assertTrue(e.getMessage().contains("replaced v2"), e.getMessage());
    }
}
