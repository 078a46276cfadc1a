package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live streams across two control planes sharing one store and NATS, every part a real process:
 * a follower of a function's logs on one control plane sees the lines of calls made through the
 * other (sync, and async wherever its worker ran), and ends when the function is deleted there; a
 * follower of a build the other control plane runs gets its status and, at its end, its whole log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsDistributedIntegrationTest {

    @TempDir
    static Path dir;
    Cluster cluster;
    Api first;
    Api second;
    String token;

    @BeforeAll
    void start() throws Exception {
        cluster = Cluster.start(dir, 2, 1, Map.of());
        first = new Api(cluster.port(0));
        second = new Api(cluster.port(1));
        token = first.userWithToken("dora");
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

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
    void aFollowerOnOneControlPlane_seesCallsThroughTheOther_andTheDeletionThere() throws Exception {
        assertEquals(201, first.post("/v1/functions", token, Api.pythonSource("echoer",
                "def handler(event, context):\n    print('got', event['n'])\n    return event\n")).status());
        try (EventClient follow = EventClient.open(cluster.port(1), "/v1/functions/echoer/logs?follow=true", token)) {
            assertEquals(200, follow.status());
            Api.Reply sync = first.invoke(token, "echoer", "{\"n\":1}");
            assertEquals(200, sync.status(), sync::toString);
            JsonNode line = lines(follow, 1).get(0);
            assertEquals(sync.header("X-Hearth-Invocation-Id"), line.get("invocationId").asText(), line::toString);
            assertEquals("got 1", line.get("text").asText());

            for (int n = 2; n <= 5; n++) {
                Api.Reply async = first.send("POST", "/v1/functions/echoer/invoke", token,
                        ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), "X-Hearth-Invocation-Type", "async");
                assertEquals(202, async.status(), async::toString);
                // Whichever control plane's worker ran it, its line reaches the follower, once.
                JsonNode asyncLine = lines(follow, 1).get(0);
                assertEquals(async.header("X-Hearth-Invocation-Id"), asyncLine.get("invocationId").asText(), asyncLine::toString);
                assertEquals("got " + n, asyncLine.get("text").asText());
            }

            assertEquals(204, first.delete("/v1/functions/echoer", token).status());
            List<EventClient.Event> rest = follow.untilEnd();
            assertEquals(1, rest.size(), rest::toString);
            assertEquals("not_found", rest.get(0).json().get("error").get("type").asText());
        }
    }

    @Test
    void aFollowerOfABuildTheOtherControlPlaneRuns_getsItsStatusAndWholeLog_andTheSameEnd() throws Exception {
        Api.Reply created = first.post("/v1/functions", token, Api.pythonArchive("py-remote", Map.of(
                "requirements.txt", "./vendor/greet\n",
                "vendor/greet/setup.py", "from setuptools import setup\nsetup(name='greet', version='1.0', packages=['greet'])\n",
                "vendor/greet/greet/__init__.py", "def hello(name):\n    return 'hello ' + name\n",
                "main.py", "import greet\n\ndef handler(event, context):\n    return greet.hello(event['name'])\n")));
        assertEquals(202, created.status(), created::toString);
        try (EventClient follow = EventClient.open(cluster.port(1), "/v1/functions/py-remote/build?follow=true", token)) {
            assertEquals(200, follow.status());
            List<EventClient.Event> events = follow.untilEnd();
            assertEquals("status", events.get(0).name(), events::toString);
            List<String> lines = events.stream().filter(e -> e.name().equals("log")).map(e -> e.json().get("line").asText()).toList();
            JsonNode end = events.get(events.size() - 1).json();
            assertEquals("succeeded", end.get("status").asText(), end::toString);
            assertEquals(String.join("\n", lines) + "\n", end.get("log").asText(), "the whole log, each line once");
            assertTrue(lines.contains("[hearth-build] pip install -r requirements.txt --target ."), lines::toString);
            assertEquals(second.get("/v1/functions/py-remote/build", token).json(), end);
            assertEquals(first.get("/v1/functions/py-remote/build", token).json(), end);
        }
    }
}
