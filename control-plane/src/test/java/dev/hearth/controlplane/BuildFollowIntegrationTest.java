package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/functions/{name}/build?follow=true} over real curl against a real Hearth, whose
 * builder containers run npm against the real registry: the build's status changes and its log
 * lines arrive as the builder prints them, and the stream ends with exactly what
 * {@code GET …/build} then answers; a finished build, one that needed none, a superseded and a
 * deleted one each end as documented; unknown and other users' functions are a JSON 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildFollowIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.started()
            .with("HEARTH_POOL_PYTHON", "0")
            // The slow builds of the superseded and deleted functions run on, ignored: they must not hold up the others.
            .with("HEARTH_BUILD_SLOTS", "4");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("bilbo");
    }

    /** A Node project whose install prints as it goes: npm shows the root package's install scripts. */
    private static Object nodeProject(String name, String preinstall, boolean dependency) {
        String deps = dependency ? ",\"dependencies\":{\"is-number\":\"7.0.0\"}" : "";
        return Api.archive(name, "node", "index.handler", Map.of(
                "package.json", "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"scripts\":{\"preinstall\":\"" + preinstall + "\"}"
                        + deps + "}",
                "index.js", "exports.handler = async (e) => e;\n"));
    }

    private EventClient follow(String token, String name) throws Exception {
        return EventClient.open(hearth.port(), "/v1/functions/" + name + "/build?follow=true", token);
    }

    private JsonNode build(String token, String name) {
        Api.Reply reply = api.get("/v1/functions/" + name + "/build", token);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    @Test
    void aBuildFollowedFromTheStart_streamsStatusAndLinesAsPrinted_andEndsWithWhatGetBuildAnswers() throws Exception {
        Api.Reply created = api.post("/v1/functions", token,
                nodeProject("live", "echo step-one && sleep 4 && echo step-two && sleep 2 && echo step-three", true));
        assertEquals(202, created.status(), created::toString);
        List<EventClient.Event> events = new ArrayList<>();
        String statusAtStepOne = null;
        EventClient latecomer = null;
        try (EventClient follow = follow(token, "live")) {
            assertEquals(200, follow.status());
            assertTrue(follow.contentType().startsWith("text/event-stream"), follow.contentType());
            while (true) {
                EventClient.Event event = follow.next();
                events.add(event);
                if (event.name().equals("log") && event.json().get("line").asText().equals("step-one")) {
                    // The builder sleeps after this line: it came while the build still ran, not from the stored log.
                    JsonNode now = build(token, "live");
                    statusAtStepOne = now.get("status").asText() + " log=" + now.get("log").asText();
                    latecomer = follow(token, "live");
                }
                if (event.name().equals("end")) {
                    follow.assertClosed();
                    break;
                }
            }
        }
        assertEquals("building log=", statusAtStepOne, events::toString);

        EventClient.Event first = events.get(0);
        assertEquals("status", first.name(), events::toString);
        assertEquals(1, first.json().get("version").asLong());
        List<String> statuses = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (EventClient.Event event : events.subList(0, events.size() - 1)) {
            switch (event.name()) {
                case "status" -> {
                    assertTrue(lines.isEmpty(), "statuses come before the log: " + events);
                    statuses.add(event.json().get("status").asText());
                }
                case "log" -> lines.add(event.json().get("line").asText());
                default -> throw new AssertionError("unexpected event " + event);
            }
        }
        assertEquals("building", statuses.get(statuses.size() - 1), statuses::toString);
        assertEquals(statuses.stream().distinct().toList(), statuses, "each status once");
        assertEquals("[hearth-build] npm install --omit=dev", lines.get(0), lines::toString);
        int one = lines.indexOf("step-one");
        int two = lines.indexOf("step-two");
        int three = lines.indexOf("step-three");
        assertTrue(0 < one && one < two && two < three, lines::toString);
        assertEquals("[hearth-build] done", lines.get(lines.size() - 1), lines::toString);

        JsonNode end = events.get(events.size() - 1).json();
        assertEquals("succeeded", end.get("status").asText(), end::toString);
        assertEquals(build(token, "live"), end, "the end is what GET …/build answers");
        assertEquals(String.join("\n", lines) + "\n", end.get("log").asText(), "the log events are the whole log");

        // One who joined mid-build got the lines so far, then the new ones: the same lines, none twice, and the same end.
        try (EventClient joined = latecomer) {
            List<EventClient.Event> theirs = joined.untilEnd();
            assertEquals("status", theirs.get(0).name());
            assertEquals(lines, theirs.stream().filter(e -> e.name().equals("log")).map(e -> e.json().get("line").asText()).toList());
            assertEquals(end, theirs.get(theirs.size() - 1).json());
        }

        // Followed again once finished: the whole log, then the same end, at once.
        try (EventClient again = follow(token, "live")) {
            List<EventClient.Event> replay = again.untilEnd();
            List<String> replayed = replay.subList(0, replay.size() - 1).stream().map(e -> e.json().get("line").asText()).toList();
            assertEquals(lines, replayed);
            assertEquals(end, replay.get(replay.size() - 1).json());
        }
    }

    @Test
    void aFunctionThatNeedsNoBuild_endsAtOnce_asGetBuildAnswers() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.source("plain", "node", "index.handler", "index.js",
                "exports.handler = async (e) => e;\n")).status());
        try (EventClient follow = follow(token, "plain")) {
            List<EventClient.Event> events = follow.untilEnd();
            assertEquals(1, events.size(), events::toString);
            assertEquals(Api.JSON.readTree("{\"status\":\"not_required\",\"log\":\"\"}"), events.get(0).json());
            assertEquals(build(token, "plain"), events.get(0).json());
        }
    }

    @Test
    void aNewerDefinition_endsTheFollowOfTheVersionItReplaced_asSuperseded() throws Exception {
        String sue = api.userWithToken("sue");
        assertEquals(202, api.post("/v1/functions", sue, nodeProject("slow", "echo waiting && sleep 20", false)).status());
        try (EventClient follow = follow(sue, "slow")) {
            awaitLine(follow, "waiting");
            Api.Reply replaced = api.put("/v1/functions/slow", sue, Api.source("slow", "node", "index.handler", "index.js",
                    "exports.handler = async (e) => 2;\n"));
            assertEquals(200, replaced.status(), replaced::toString);
            List<EventClient.Event> rest = follow.untilEnd();
            assertEquals(Api.JSON.readTree("{\"status\":\"superseded\"}"), rest.get(rest.size() - 1).json(), rest::toString);
        }
    }

    @Test
    void deletingTheFunction_endsTheFollow_withThe404() throws Exception {
        String dee = api.userWithToken("dee");
        assertEquals(202, api.post("/v1/functions", dee, nodeProject("doomed", "echo waiting && sleep 20", false)).status());
        try (EventClient follow = follow(dee, "doomed")) {
            awaitLine(follow, "waiting");
            assertEquals(204, api.delete("/v1/functions/doomed", dee).status());
            List<EventClient.Event> rest = follow.untilEnd();
            JsonNode end = rest.get(rest.size() - 1).json();
            assertEquals("not_found", end.get("error").get("type").asText(), rest::toString);
            assertEquals("no function named 'doomed'", end.get("error").get("message").asText());
        }
    }

    @Test
    void unknownAndOtherUsersFunctions_are404Json_notAStream() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.source("mine", "node", "index.handler", "index.js",
                "exports.handler = async (e) => e;\n")).status());
        String other = api.userWithToken("peeker");
        for (EventClient answer : List.of(follow(token, "no-such"), follow(other, "mine"))) {
            assertEquals(404, answer.status());
            assertEquals("application/json", answer.contentType());
            assertEquals("not_found", answer.json().get("error").get("type").asText());
        }
        assertEquals(401, follow(null, "mine").status());
        Api.Reply bad = api.get("/v1/functions/mine/build?follow=1", token);
        assertEquals(400, bad.status(), bad::toString);
    }

    private static void awaitLine(EventClient follow, String line) throws InterruptedException {
        while (true) {
            EventClient.Event event = follow.next();
            if (event.name().equals("log") && event.json().get("line").asText().equals(line)) {
                return;
            }
            assertTrue(event.name().equals("status") || event.name().equals("log"), event::toString);
        }
    }
}
