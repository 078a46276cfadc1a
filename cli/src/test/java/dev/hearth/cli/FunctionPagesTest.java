package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth ls} and {@code hearth export} read every page of {@code GET /v1/functions}: a
 * server that answers in pages of two, with {@code next}, is followed to its last page.
 */
class FunctionPagesTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

    @TempDir
    Path dir;
    private FakeServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    /** A broken server: every page says the next one follows 'a'. */
    private volatile boolean looping;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer(this::handle);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Pages of two functions, whatever limit is asked: after the name given, with next while more follow. */
    private void handle(HttpExchange exchange) throws IOException {
        if (looping && exchange.getRequestURI().getPath().equals("/v1/functions")) {
            FakeServer.send(exchange, 200, "application/json", "{\"functions\":[],\"next\":\"a\"}");
            return;
        }
        String body;
        int status = 200;
        if (exchange.getRequestURI().getPath().equals("/v1/functions")) {
            String query = exchange.getRequestURI().getQuery();
            queries.add(query);
            String after = query != null && query.contains("after=") ? query.replaceAll(".*after=([a-z]+).*", "$1") : null;
            int from = after == null ? 0 : NAMES.indexOf(after) + 1;
            List<String> page = NAMES.subList(from, Math.min(NAMES.size(), from + 2));
            List<String> functions = new ArrayList<>();
            page.forEach(n -> functions.add("{\"name\":\"" + n + "\",\"version\":1,\"runtime\":\"python\",\"status\":\"ready\",\"memoryMb\":128,\"timeoutMs\":3000}"));
            body = "{\"functions\":[" + String.join(",", functions) + "]"
                    + (from + 2 < NAMES.size() ? ",\"next\":\"" + page.get(page.size() - 1) + "\"" : "") + "}";
        } else {
            status = 404;
            body = "{\"error\":{\"type\":\"not_found\",\"message\":\"nothing here\"}}";
        }
        FakeServer.send(exchange, status, "application/json", body);
    }

    private String run(String... args) {
        FakeServer.Run run = server.run(dir, args);
        assertEquals(0, run.exit(), run::toString);
        return run.out();
    }

    @Test
    void ls_followsNext_toTheLastPage() throws IOException {
        JsonNode listed = HearthApi.JSON.readTree(run("-o", "json", "ls"));
        List<String> names = new ArrayList<>();
        listed.path("functions").forEach(f -> names.add(f.path("name").asText()));
        assertEquals(NAMES, names);
        assertEquals(List.of("limit=1000", "limit=1000&after=b", "limit=1000&after=d"), queries);

        String table = run("ls");
        for (String name : NAMES) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(name + " ")), table);
        }
    }

    @Test
    void aServerWhoseNextDoesNotMoveOn_isLeft_notFollowedForever() {
        looping = true;
        FakeServer.Run run = server.run(dir, "ls");
        assertEquals(ExitCode.UNAVAILABLE.code(), run.exit(), run::toString);
        assertTrue(run.err().contains("does not follow"), run::toString);
    }
}
