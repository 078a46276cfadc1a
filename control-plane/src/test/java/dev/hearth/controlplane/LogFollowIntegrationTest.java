package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/functions/{name}/logs}, read and followed over real curl against a real Hearth:
 * a follower sees each line of each new call (sync and async) once, with its invocation id, as it
 * is stored; a function's output cannot forge an event; the stream ends when the function is
 * deleted; the caps and the usual auth hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogFollowIntegrationTest {

    static final String TALKER = """
            import sys
            def handler(event, context):
                print("hello", event.get("n"))
                print("to stderr", file=sys.stderr)
                return event
            """;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("logan");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String talker() {
        String name = unique("talker");
        Api.Reply created = api.post("/v1/functions", token, Api.pythonSource(name, TALKER));
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    private String call(String name, int n) {
        Api.Reply invoked = api.invoke(token, name, "{\"n\":" + n + "}");
        assertEquals(200, invoked.status(), invoked::toString);
        return invoked.header("X-Hearth-Invocation-Id");
    }

    private EventClient follow(String name, String query) throws Exception {
        EventClient follow = EventClient.open(hearth.port(), "/v1/functions/" + name + "/logs?follow=true" + query, token);
        assertEquals(200, follow.status());
        assertTrue(follow.contentType().startsWith("text/event-stream"), follow.contentType());
        return follow;
    }

    /** The next {@code count} events, each a log line. */
    private static List<JsonNode> lines(EventClient follow, int count) throws InterruptedException {
        List<JsonNode> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EventClient.Event event = follow.next();
            assertEquals("log", event.name(), event::toString);
            lines.add(event.json());
        }
        return lines;
    }

    @Test
    void aCallMadeAfterTheFollowStarted_showsEachOfItsLinesOnce_withItsInvocationId() throws Exception {
        String name = talker();
        try (EventClient follow = follow(name, "")) {
            String first = call(name, 1);
            String second = call(name, 2);
            List<JsonNode> lines = lines(follow, 4);
            assertEquals(first, lines.get(0).get("invocationId").asText(), lines::toString);
            assertEquals("stdout", lines.get(0).get("stream").asText());
            assertEquals("hello 1", lines.get(0).get("text").asText());
            assertEquals(1, lines.get(0).get("version").asLong());
            assertFalse(lines.get(0).get("timestamp").asText().isEmpty());
            assertEquals(first, lines.get(1).get("invocationId").asText());
            assertEquals("stderr", lines.get(1).get("stream").asText());
            assertEquals("to stderr", lines.get(1).get("text").asText());
            // The second call's lines come next: none of the first's came twice.
            assertEquals(second, lines.get(2).get("invocationId").asText(), lines::toString);
            assertEquals("hello 2", lines.get(2).get("text").asText());
            assertEquals(second, lines.get(3).get("invocationId").asText());
        }
    }

    @Test
    void anAsyncCallsLines_areFollowedToo() throws Exception {
        String name = talker();
        try (EventClient follow = follow(name, "")) {
            Api.Reply accepted = api.send("POST", "/v1/functions/" + name + "/invoke", token,
                    "{\"n\":7}".getBytes(StandardCharsets.UTF_8), "X-Hearth-Invocation-Type", "async");
            assertEquals(202, accepted.status(), accepted::toString);
            String id = accepted.header("X-Hearth-Invocation-Id");
            List<JsonNode> lines = lines(follow, 2);
            assertEquals(id, lines.get(0).get("invocationId").asText(), lines::toString);
            assertEquals("hello 7", lines.get(0).get("text").asText());
            assertEquals(id, lines.get(1).get("invocationId").asText());
        }
    }

    @Test
    void outputThatLooksLikeEvents_arrivesAsTextOfLogEvents_neverAsAnEvent() throws Exception {
        String name = unique("forger");
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource(name, """
                def handler(event, context):
                    print("x\\n\\nevent: forged\\ndata: {}")
                    print("y\\revent: forged\\r\\rdata: {}\\r\\n")
                    return 1
                """)).status());
        try (EventClient follow = follow(name, "")) {
            String id = call(name, 0);
            List<String> texts = new ArrayList<>();
            for (JsonNode line : lines(follow, 6)) {
                assertEquals(id, line.get("invocationId").asText());
                texts.add(line.get("text").asText());
            }
            assertEquals(List.of("x", "", "event: forged", "data: {}", "y\revent: forged\r\rdata: {}\r", ""), texts);
            for (String line : follow.raw().split("\r\n|\r|\n")) {
                assertFalse(line.startsWith("event: forged") || line.startsWith("data: {}"), () -> "a forged line: " + line);
            }
        }
    }

    @Test
    void tail_givesTheLastInvocationsFirst_thenNewOnes_andTheReadAnswersTheSame() throws Exception {
        String name = talker();
        call(name, 1);
        String two = call(name, 2);
        String three = call(name, 3);

        JsonNode read = api.get("/v1/functions/" + name + "/logs?limit=2", token).json();
        assertEquals(4, read.get("lines").size(), read::toString);
        assertEquals(two, read.get("lines").get(0).get("invocationId").asText(), "oldest first");
        assertEquals(three, read.get("lines").get(3).get("invocationId").asText());
        assertEquals(6, api.get("/v1/functions/" + name + "/logs", token).json().get("lines").size());

        try (EventClient follow = follow(name, "&tail=2")) {
            List<JsonNode> tail = lines(follow, 4);
            for (int i = 0; i < 4; i++) {
                assertEquals(read.get("lines").get(i), tail.get(i));
            }
            String four = call(name, 4);
            assertEquals(four, lines(follow, 1).get(0).get("invocationId").asText());
        }
    }

    @Test
    void theVersionFilter_holdsForReadAndFollow() throws Exception {
        String name = talker();
        call(name, 1);
        assertEquals(200, api.put("/v1/functions/" + name, token, Api.pythonSource(name,
                "def handler(event, context):\n    print('version two')\n    return 2\n")).status());
        call(name, 2);
        JsonNode v2 = api.get("/v1/functions/" + name + "/logs?version=2", token).json().get("lines");
        assertEquals(1, v2.size(), v2::toString);
        assertEquals("version two", v2.get(0).get("text").asText());
        assertEquals(2, v2.get(0).get("version").asLong());
        try (EventClient follow = follow(name, "&version=2&tail=5")) {
            assertEquals("version two", lines(follow, 1).get(0).get("text").asText());
        }
    }

    @Test
    void deletingTheFunction_endsTheFollow_withThe404() throws Exception {
        String name = talker();
        try (EventClient follow = follow(name, "")) {
            call(name, 1);
            lines(follow, 2);
            assertEquals(204, api.delete("/v1/functions/" + name, token).status());
            List<EventClient.Event> rest = follow.untilEnd();
            assertEquals(1, rest.size(), rest::toString);
            assertEquals("not_found", rest.get(0).json().get("error").get("type").asText(), rest::toString);
        }
    }

    @Test
    void nothingHappening_sendsKeepAliveComments() throws Exception {
        String name = talker();
        try (EventClient follow = follow(name, "")) {
            // One at once (the stream is open), then one every 15 s: a bounded wait for the second, not a measurement.
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (follow.comments() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(": keep-alive\n\n: keep-alive\n\n", follow.raw());
            call(name, 1);
            assertEquals("hello 1", lines(follow, 1).get(0).get("text").asText(), "still streaming after it");
        }
    }

    @Test
    void unknownAndOtherUsersFunctions_are404Json_badParameters400_noToken401() throws Exception {
        String name = talker();
        String other = api.userWithToken("nosy-" + UUID.randomUUID().toString().substring(0, 6));
        for (String path : List.of("/v1/functions/no-such/logs?follow=true", "/v1/functions/no-such/logs")) {
            EventClient answer = EventClient.open(hearth.port(), path, token);
            assertEquals(404, answer.status());
            assertEquals("application/json", answer.contentType());
            assertEquals("not_found", answer.json().get("error").get("type").asText());
        }
        EventClient nosy = EventClient.open(hearth.port(), "/v1/functions/" + name + "/logs?follow=true", other);
        assertEquals(404, nosy.status(), "another user's function is not found");
        assertEquals(404, api.get("/v1/functions/" + name + "/logs", other).status());
        assertEquals(401, EventClient.open(hearth.port(), "/v1/functions/" + name + "/logs?follow=true", null).status());
        for (String query : List.of("?follow=yes", "?follow=true&tail=101", "?follow=true&tail=-1", "?limit=0", "?limit=101",
                "?version=0")) {
            Api.Reply refused = api.get("/v1/functions/" + name + "/logs" + query, token);
            assertEquals(400, refused.status(), query + ": " + refused);
            assertEquals("bad_request", refused.errorType());
        }
    }

    @Test
    void aUserPastTheirCapOfOpenStreams_gets429_untilSomeEnd() throws Exception {
        String capper = api.userWithToken("capper");
        String name = unique("capped");
        assertEquals(201, api.post("/v1/functions", capper, Api.pythonSource(name, TALKER)).status());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest follow = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hearth.port() + "/v1/functions/" + name
                + "/logs?follow=true")).header("Authorization", "Bearer " + capper).build();
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                HttpResponse<InputStream> stream = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, stream.statusCode(), "stream " + (i + 1));
                open.add(stream.body());
            }
            HttpResponse<String> refused = http.send(follow, HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode(), refused::body);
            assertEquals("throttled", Api.JSON.readTree(refused.body()).get("error").get("type").asText());
            assertEquals(200, api.get("/v1/functions/" + name + "/logs", capper).status(), "reading is not capped");

            // Deleting the function ends all sixteen; the user may open streams again.
            assertEquals(204, api.delete("/v1/functions/" + name, capper).status());
            for (InputStream stream : open) {
                String rest = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(rest.contains("event: end"), rest);
            }
            assertEquals(201, api.post("/v1/functions", capper, Api.pythonSource(name, TALKER)).status());
            HttpResponse<InputStream> again = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, again.statusCode());
            again.body().close();
        } finally {
            for (InputStream stream : open) {
                stream.close();
            }
        }
    }
}
