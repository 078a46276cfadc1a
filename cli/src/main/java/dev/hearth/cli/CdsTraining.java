package dev.hearth.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The run the launcher records a class-data-sharing archive from ({@code -XX:ArchiveClassesAtExit},
 * once per jar): the commands people run most, against a canned answer on a loopback port of its
 * own, so the archive holds the classes of a real call (HTTP, JSON, tables) and not just of the
 * argument parser. Started with {@code HEARTH_CLI_TRAINING=1}; prints nothing.
 */
final class CdsTraining {

    private static final String FUNCTION = "{\"name\":\"echo\",\"runtime\":\"python\",\"lambdaRuntime\":\"python3.13\","
            + "\"handler\":\"main.handler\",\"status\":\"ready\",\"version\":3,\"memoryMb\":128,\"timeoutMs\":3000,"
            + "\"env\":{},\"network\":\"none\",\"createdAt\":\"2025-01-01T00:00:00Z\"}";

    private CdsTraining() {}

    static int run() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/functions", CdsTraining::answer);
        server.start();
        Path config = Files.createTempDirectory("hearth-cds").resolve("config");
        try {
            Map<String, String> env = Map.of("HEARTH_CONFIG", config.toString(),
                    "HEARTH_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort(), "HEARTH_TOKEN", "training");
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            for (String[] args : new String[][] {{"ls"}, {"-o", "json", "ls"}, {"get", "echo"}, {"get", "missing"}}) {
                Main.run(args, env, nowhere, nowhere);
            }
            return 0;
        } finally {
            server.stop(0);
            Files.deleteIfExists(config.getParent());
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int status = 200;
        String body = switch (path) {
            case "/v1/functions" -> "{\"functions\":[" + FUNCTION + "]}";
            case "/v1/functions/echo" -> FUNCTION;
            default -> {
                status = 404;
                yield "{\"error\":{\"type\":\"not_found\",\"message\":\"no function here\"}}";
            }
        };
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
