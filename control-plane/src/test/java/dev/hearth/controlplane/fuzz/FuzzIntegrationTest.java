package dev.hearth.controlplane.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.controlplane.Api;
import dev.hearth.controlplane.HearthExtension;
import dev.hearth.controlplane.http.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thousands of malformed, hostile and wrongly typed requests against a real Hearth over real
 * HTTP: no answer may be a 5xx, show a stack trace, a host path or a class name, or be an error
 * without the JSON error shape; the server answers normally afterwards. The seed is logged; set
 * {@code -Dhearth.fuzz.seed=N} to replay a run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(FuzzIntegrationTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern STACK_TRACE = Pattern.compile("\\tat |\\bat [a-z]+\\.[a-z]+\\.|Exception:|Traceback \\(most recent|\\.java:\\d+\\)");

    // The transport cases that send too little or too slowly meet the body deadline in a second.
    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_HTTP_BODY_TIMEOUT_SECONDS", "1");
    FuzzCases.Targets targets;
    int perParserRefusal;

    /** Hearth's data folder: no answer may show it. */
    Path data;

    @BeforeAll
    void start() {
        data = hearth.data();
        Api api = hearth.api();
        String token = api.userWithToken("fuzzer");
        String other = api.userWithToken("bystander");
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("echo", Bodies.CODE)).status());
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("target", Bodies.CODE)).status());
        assertEquals(200, api.invoke(token, "echo", "{\"warm\":true}").status());
        targets = new FuzzCases.Targets("fuzzer", PASSWORD, token, other, "echo", "target");
    }

    @Test
    void everyEndpoint_answersHonestly_toThousandsOfHostileRequests() throws Exception {
        long seed = Long.getLong("hearth.fuzz.seed", System.nanoTime());
        List<FuzzCases.Case> cases = new FuzzCases(seed, targets).generate();
        log.info("fuzz: seed {}, {} cases", seed, cases.size());
        Api api = new Api(hearth.port());
        Map<String, Integer> perGroup = new TreeMap<>();
        Map<Integer, Integer> perStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (FuzzCases.Case c : cases) {
            RawHttp.Answer answer = RawHttp.sendUntilClosed(hearth.port(), Duration.ofSeconds(60), c.request().pieces(), c.request().pauseMillis());
            perGroup.merge(c.group(), 1, Integer::sum);
            perStatus.merge(answer.status(), 1, Integer::sum);
            String problem = problem(c, answer);
            if (problem != null && failures.size() < 200) {
                failures.add(problem + " <- " + c.group() + ": " + c.request().describe() + " -> " + answer.status() + " "
                        + abbreviate(answer.text()));
            }
            cleanUp(api, c, answer);
        }
        log.info("fuzz: {} cases in {} s; per endpoint {}; per status {}; {} bare 400s from Undertow's parser (broken %-escapes, control characters in headers)",
                cases.size(), (System.nanoTime() - started) / 1_000_000_000, perGroup, perStatus, perParserRefusal);
        failures.forEach(f -> log.error("fuzz: {}", f));

        assertTrue(cases.size() >= 5_000, "at least 5,000 cases, got " + cases.size());
        assertTrue(failures.isEmpty(), failures.size() + " bad answers (seed " + seed + "), first: "
                + failures.subList(0, Math.min(10, failures.size())));
        assertEquals(200, api.get("/healthz", null).status());
        Api.Reply still = api.invoke(targets.token(), "echo", "{\"after\":\"fuzz\"}");
        assertEquals(200, still.status(), still::toString);
        assertEquals("fuzz", still.json().get("after").asText());
    }

    /** What is wrong with an answer, or null. */
    private String problem(FuzzCases.Case c, RawHttp.Answer answer) {
        if (!answer.answered()) {
            return "no answer";
        }
        if (answer.status() >= 500) {
            return "a 5xx";
        }
        if (answer.status() == 202 && c.group().contains("/v1/functions")) {
            return "a build started (the fuzzer must not make builder containers)";
        }
        String text = answer.text();
        for (String internal : List.of(data.toString(), "/tmp/", "/var/", "dev.hearth", "java.", "com.fasterxml", "io.undertow",
                "org.eclipse", "jetty")) {
            if (text.contains(internal)) {
                return "shows '" + internal + "'";
            }
        }
        if (STACK_TRACE.matcher(text).find()) {
            return "shows a stack trace";
        }
        if (c.parserMayRefuse() && answer.status() == 400 && answer.body().length == 0) {
            perParserRefusal++;
            return null;
        }
        if (answer.status() >= 400 && !c.request().describe().startsWith("HEAD ")) {
            try {
                JsonNode body = JSON.readTree(answer.body());
                // Lambda's Invoke API answers in Lambda's REST-JSON error shape, for unchanged AWS clients
                // (a method it does not route is still the server's own 405, checked below).
                if (c.request().target().startsWith("/2015-03-31/") && body.path("Type").isTextual()) {
                    return body.path("message").isTextual() ? null : "a Lambda API error without the {\"Type\",\"message\"} shape";
                }
                JsonNode error = body.path("error");
                if (!error.path("type").isTextual() || !error.path("message").isTextual()) {
                    return "an error without the {\"error\":{\"type\",\"message\"}} shape";
                }
            } catch (IOException e) {
                return "an error body that is not JSON";
            }
        }
        return null;
    }

    /** Functions the fuzzer managed to create are removed, so later cases meet validation, not the quota. */
    private void cleanUp(Api api, FuzzCases.Case c, RawHttp.Answer answer) throws IOException {
        if (!c.group().equals("POST /v1/functions") || answer.status() / 100 != 2) {
            return;
        }
        String name = JSON.readTree(answer.body()).path("name").asText();
        if (!name.equals(targets.echo()) && !name.equals(targets.target())) {
            api.delete("/v1/functions/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8), targets.token());
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
