package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Node runtime behaves as Lambda's (issue 17, items 3, 5 and 6), against real containers:
 * {@code callbackWaitsForEmptyEventLoop}, no invocation's late output in another's record, Lambda's
 * error documents without the agent's frames, handler forms and the context's fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaNodeIntegrationTest {

    private static final String TIMER_HANDLERS = """
            exports.waits = (event, context, callback) => {
              setTimeout(() => console.log('timer of ' + event.n), 1000);
              console.log('handler of ' + event.n);
              callback(null, { n: event.n, waited: context.callbackWaitsForEmptyEventLoop });
            };
            exports.nowait = (event, context, callback) => {
              context.callbackWaitsForEmptyEventLoop = false;
              setTimeout(() => console.log('timer of ' + event.n), 1000);
              console.log('handler of ' + event.n);
              callback(null, { n: event.n, waited: context.callbackWaitsForEmptyEventLoop });
            };
            exports.asyncLate = async (event) => {
              setTimeout(() => console.log('timer of ' + event.n), 1000);
              console.log('handler of ' + event.n);
              return { n: event.n };
            };
            """;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_NODE", "2");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("lena");
    }

    private void create(Object body, String name) throws InterruptedException {
        Api.Reply created = api.post("/v1/functions", token, body);
        assertTrue(created.status() == 201 || created.status() == 202, created::toString);
        assertEquals("ready", api.awaitBuilt(token, name).get("status").asText());
    }

    private String logs(Api.Reply invoked) {
        return api.record(token, invoked).get("logs").toString();
    }

    private record Timed(Api.Reply reply, long millis) {
    }

    private Timed timedInvoke(String name, String body) {
        long started = System.nanoTime();
        Api.Reply reply = api.invoke(token, name, body);
        return new Timed(reply, (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void callbackWaitsForEmptyEventLoop_byDefault_answersOnceThePendingTimerRan() throws Exception {
        create(Api.source("node-waits", "node", "index.waits", "index.js", TIMER_HANDLERS).put("timeoutMs", 10000), "node-waits");
        Timed first = timedInvoke("node-waits", "{\"n\":1}");
        Timed second = timedInvoke("node-waits", "{\"n\":2}");

        assertEquals("{\"n\":1,\"waited\":true}", first.reply().text(), first.reply()::toString);
        assertTrue(first.millis() >= 950, "answered before its 1 s timer ran: " + first.millis() + " ms");
        assertTrue(second.millis() >= 950, "answered before its 1 s timer ran: " + second.millis() + " ms");
        String firstLogs = logs(first.reply());
        assertTrue(firstLogs.contains("handler of 1") && firstLogs.contains("timer of 1"), firstLogs);
        String secondLogs = logs(second.reply());
        assertTrue(secondLogs.contains("handler of 2") && secondLogs.contains("timer of 2"), secondLogs);
        assertFalse(secondLogs.contains("of 1"), secondLogs);
    }

    @Test
    void callbackWaitsForEmptyEventLoop_false_answersAtOnce_andTheLateLineLandsInNoOtherRecord() throws Exception {
        create(Api.source("node-nowait", "node", "index.nowait", "index.js", TIMER_HANDLERS).put("timeoutMs", 10000), "node-nowait");
        timedInvoke("node-nowait", "{\"n\":0}"); // a container started for the function: the next call is warm
        Timed first = timedInvoke("node-nowait", "{\"n\":1}");
        assertEquals("{\"n\":1,\"waited\":false}", first.reply().text(), first.reply()::toString);
        assertTrue(first.millis() < 700, "waited for the timer: " + first.millis() + " ms");
        Thread.sleep(1300); // the first invocation's timer prints between the two invocations
        Timed second = timedInvoke("node-nowait", "{\"n\":2}");
        assertEquals("warm", second.reply().header("X-Hearth-Start"), "both calls must share a container");
        Timed third = timedInvoke("node-nowait", "{\"n\":3}"); // runs while the second's timer is pending

        String firstLogs = logs(first.reply());
        assertTrue(firstLogs.contains("handler of 1") && !firstLogs.contains("timer of"), firstLogs);
        String secondLogs = logs(second.reply());
        assertTrue(secondLogs.contains("handler of 2"), secondLogs);
        assertFalse(secondLogs.contains("timer of"), "an earlier invocation's late line in the second's record: " + secondLogs);
        Thread.sleep(1300);
        Timed fourth = timedInvoke("node-nowait", "{\"n\":4}");
        for (Timed later : new Timed[] {third, fourth}) {
            String text = logs(later.reply());
            assertFalse(text.contains("timer of"), "a late line in a later record: " + text);
        }
    }

    @Test
    void asyncHandler_answersWhenItsPromiseResolves_andItsLateLineLandsInNoOtherRecord() throws Exception {
        create(Api.source("node-async-late", "node", "index.asyncLate", "index.js", TIMER_HANDLERS).put("timeoutMs", 10000), "node-async-late");
        timedInvoke("node-async-late", "{\"n\":0}"); // a container started for the function: the next call is warm
        Timed first = timedInvoke("node-async-late", "{\"n\":1}");
        assertEquals("{\"n\":1}", first.reply().text(), first.reply()::toString);
        assertTrue(first.millis() < 700, "waited for the timer: " + first.millis() + " ms");
        Thread.sleep(1300);
        Timed second = timedInvoke("node-async-late", "{\"n\":2}");
        assertEquals("warm", second.reply().header("X-Hearth-Start"), "all calls must share a container");
        String secondLogs = logs(second.reply());
        assertTrue(secondLogs.contains("handler of 2") && !secondLogs.contains("timer of"), secondLogs);
        assertFalse(logs(first.reply()).contains("timer of"), logs(first.reply()));
    }

    @Test
    void raisingHandler_givesLambdasDocument_withoutTheAgentsFrames() throws Exception {
        create(Api.source("node-raises", "node", "index.handler", "index.js", """
                function check(event) {
                  throw new TypeError('bad input: ' + event.x);
                }
                exports.handler = async (event) => check(event);
                """), "node-raises");
        Api.Reply failed = api.invoke(token, "node-raises", "{\"x\":7}");
        assertEquals(502, failed.status(), failed::toString);
        JsonNode error = failed.json().get("error");
        assertEquals("TypeError", error.get("errorType").asText(), error::toString);
        assertEquals("bad input: 7", error.get("errorMessage").asText(), error::toString);
        JsonNode trace = error.get("stackTrace");
        assertEquals("TypeError: bad input: 7", trace.get(0).asText(), error::toString);
        assertTrue(trace.get(1).asText().contains("at check (") && trace.get(1).asText().contains("index.js:2"), error::toString);
        assertFalse(trace.toString().contains("/opt/hearth"), "the agent's frames: " + trace);
        assertFalse(trace.toString().contains("async_hooks"), "the agent's calling frames: " + trace);
    }

    @Test
    void callbackWithAString_isLambdasStringError() throws Exception {
        create(Api.source("node-cb-string", "node", "index.handler", "index.js",
                "exports.handler = (event, context, callback) => callback('plain words');\n"), "node-cb-string");
        JsonNode error = api.invoke(token, "node-cb-string", "{}").json().get("error");
        assertEquals("string", error.get("errorType").asText(), error::toString);
        assertEquals("plain words", error.get("errorMessage").asText(), error::toString);
    }

    @Test
    void syntaxError_isUserCodeSyntaxError() throws Exception {
        create(Api.source("node-syntax", "node", "index.handler", "index.js",
                "exports.handler = async (event => event;\n"), "node-syntax");
        Api.Reply failed = api.invoke(token, "node-syntax", "{}");
        assertEquals(502, failed.status(), failed::toString);
        JsonNode error = failed.json().get("error");
        assertEquals("Runtime.UserCodeSyntaxError", error.get("errorType").asText(), error::toString);
        assertTrue(error.get("errorMessage").asText().startsWith("SyntaxError: "), error::toString);
        assertTrue(error.get("stackTrace").get(0).asText().startsWith("Runtime.UserCodeSyntaxError: SyntaxError: "), error::toString);
        assertTrue(error.get("stackTrace").toString().contains("index.js:1"), error::toString);
    }

    @Test
    void importTimeException_keepsItsOwnType() throws Exception {
        create(Api.source("node-import-throws", "node", "index.handler", "index.js",
                "throw new RangeError('no config');\n"), "node-import-throws");
        JsonNode error = api.invoke(token, "node-import-throws", "{}").json().get("error");
        assertEquals("RangeError", error.get("errorType").asText(), error::toString);
        assertEquals("no config", error.get("errorMessage").asText(), error::toString);
        assertFalse(error.get("stackTrace").toString().contains("/opt/hearth"), error::toString);
    }

    @Test
    void handlerForms_asLambdaAcceptsThem() throws Exception {
        create(Api.archive("node-forms", "node", "src/api/app.routes.get", Map.of(
                "src/api/app.js", "exports.routes = { get: async (event) => ({ nested: true, got: event }) };\n")), "node-forms");
        assertEquals("{\"nested\":true,\"got\":1}", api.invoke(token, "node-forms", "1").text());

        create(Api.archive("node-missing-export", "node", "index.nope", Map.of(
                "index.js", "exports.handler = async () => 1;\n")), "node-missing-export");
        JsonNode error = api.invoke(token, "node-missing-export", "{}").json().get("error");
        assertEquals("Runtime.HandlerNotFound", error.get("errorType").asText(), error::toString);
        assertEquals("index.nope is undefined or not exported", error.get("errorMessage").asText(), error::toString);
    }

    @Test
    void aPooledAgentsRehearsal_leavesNothingForTheFunction() throws Exception {
        var body = Api.source("node-fresh", "node", "index.handler", "index.js", """
                console.log('loading');
                exports.handler = async (event, context) => ({
                  cwd: process.cwd(), handler: process.env._HANDLER, name: process.env.AWS_LAMBDA_FUNCTION_NAME,
                  cached: Object.keys(require.cache).filter((file) => !file.startsWith('/opt/hearth/')),
                  leftovers: require('fs').readdirSync('/tmp').filter((file) => file.startsWith('.hearth')),
                  ownVariable: process.env.MINE, functionName: context.functionName });
                """);
        body.putObject("env").put("MINE", "mine");
        create(body, "node-fresh");
        assertTrue(Docker.eventually(Duration.ofSeconds(30),
                () -> hearth.pool().stats().prewarmed().getOrDefault("node", 0) > 0), "pool refilled");
        Api.Reply invoked = api.invoke(token, "node-fresh", "{}");
        assertEquals("pool", invoked.header("X-Hearth-Start"), "a pre-started, rehearsed agent served it: " + invoked);
        JsonNode seen = invoked.json();
        assertEquals("/run/hearth/code", seen.get("cwd").asText(), seen::toString);
        assertEquals("index.handler", seen.get("handler").asText(), seen::toString);
        assertEquals("node-fresh", seen.get("name").asText(), seen::toString);
        assertEquals("node-fresh", seen.get("functionName").asText(), seen::toString);
        assertEquals("mine", seen.get("ownVariable").asText(), seen::toString);
        // Only the function's own module is loaded from outside the agent, and the sample's folder is gone.
        assertEquals(1, seen.get("cached").size(), seen::toString);
        assertTrue(seen.get("cached").get(0).asText().endsWith("/index.js"), seen::toString);
        assertEquals(0, seen.get("leftovers").size(), seen::toString);
        String logs = logs(invoked);
        assertTrue(logs.contains("loading"), logs);
        assertFalse(logs.contains("rehearsal"), logs);
    }

    @Test
    void context_hasLambdasFields() throws Exception {
        var body = Api.source("node-context", "node", "index.handler", "index.js", """
                exports.handler = async (event, context) => ({
                  awsRequestId: context.awsRequestId, functionName: context.functionName,
                  functionVersion: context.functionVersion, memoryLimitInMB: context.memoryLimitInMB,
                  invokedFunctionArn: context.invokedFunctionArn, logGroupName: context.logGroupName,
                  logStreamName: context.logStreamName, waits: context.callbackWaitsForEmptyEventLoop,
                  left: context.getRemainingTimeInMillis() });
                """);
        body.put("memoryMb", 256).put("timeoutMs", 3000);
        // Values the Lambda environment Hearth gives every function; a function's own env wins.
        body.putObject("env").put("AWS_REGION", "eu-west-3").put("HEARTH_ACCOUNT_ID", "123456789012")
                .put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/node-context")
                .put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/02/[1]abcdef");
        create(body, "node-context");
        Api.Reply invoked = api.invoke(token, "node-context", "{}");
        JsonNode context = invoked.json();
        assertEquals(invoked.header("X-Hearth-Invocation-Id"), context.get("awsRequestId").asText(), context::toString);
        assertEquals("node-context", context.get("functionName").asText());
        assertTrue(context.get("functionVersion").isTextual(), context::toString);
        assertEquals("256", context.get("memoryLimitInMB").asText());
        assertTrue(context.get("memoryLimitInMB").isTextual(), "Lambda's memoryLimitInMB is a string: " + context);
        assertEquals("arn:aws:lambda:eu-west-3:123456789012:function:node-context", context.get("invokedFunctionArn").asText());
        assertEquals("/aws/lambda/node-context", context.get("logGroupName").asText());
        assertEquals("2026/01/02/[1]abcdef", context.get("logStreamName").asText());
        assertTrue(context.get("waits").asBoolean(), context::toString);
        long left = context.get("left").asLong();
        assertTrue(left > 0 && left <= 3000, context::toString);
    }
}
