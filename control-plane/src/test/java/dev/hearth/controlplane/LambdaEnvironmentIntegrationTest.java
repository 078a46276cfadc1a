package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lambda conformance of what the platform gives every source function, against real containers:
 * Lambda's environment (pooled and cold alike, the function's own variables winning), the error
 * documents of a timeout and a crash, and Lambda's runtime identifiers and default handlers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaEnvironmentIntegrationTest {

    static final List<String> VARIABLES = List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "TZ",
            "HEARTH_ACCOUNT_ID", "GREETING");
    static final String PRINT_ENV = """
            import os
            def handler(event, context):
                return {k: os.environ.get(k) for k in event}
            """;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2").with("HEARTH_POOL_NODE", "1")
            .with("HEARTH_REGION", "eu-west-3");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("lambda-env");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void create(Object body) {
        Api.Reply reply = api.post("/v1/functions", token, body);
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("ready", reply.json().get("status").asText(), reply::toString);
    }

    private JsonNode printedEnv(String name, String expectedStart) {
        Api.Reply reply = api.invoke(token, name, Api.JSON.valueToTree(VARIABLES).toString());
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(expectedStart, reply.header("X-Hearth-Start"));
        return reply.json();
    }

    private static void assertLambdaEnvironment(String name, JsonNode env) {
        assertEquals("eu-west-3", env.get("AWS_REGION").asText(), "HEARTH_REGION");
        assertEquals("eu-north-1", env.get("AWS_DEFAULT_REGION").asText(), "the function's own variable wins");
        assertEquals(name, env.get("AWS_LAMBDA_FUNCTION_NAME").asText());
        assertEquals("1", env.get("AWS_LAMBDA_FUNCTION_VERSION").asText());
        assertEquals("256", env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText());
        assertEquals("/aws/lambda/" + name, env.get("AWS_LAMBDA_LOG_GROUP_NAME").asText());
        assertTrue(env.get("AWS_LAMBDA_LOG_STREAM_NAME").asText().matches("\\d{4}/\\d{2}/\\d{2}/\\[1\\][0-9a-f]{12}"), env::toString);
        assertEquals("AWS_Lambda_python3.13", env.get("AWS_EXECUTION_ENV").asText());
        assertEquals("/run/hearth/code", env.get("LAMBDA_TASK_ROOT").asText());
        assertEquals("/opt/hearth", env.get("LAMBDA_RUNTIME_DIR").asText());
        assertEquals("main.handler", env.get("_HANDLER").asText());
        assertEquals(":UTC", env.get("TZ").asText());
        assertEquals("000000000000", env.get("HEARTH_ACCOUNT_ID").asText());
        assertEquals("hi", env.get("GREETING").asText());
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode envPrinter(String name) {
        var body = Api.pythonSource(name, PRINT_ENV).put("memoryMb", 256);
        body.putObject("env").put("GREETING", "hi").put("AWS_DEFAULT_REGION", "eu-north-1");
        return body;
    }

    @Test
    void aPooledContainer_hasLambdasEnvironment_underTheFunctionsOwn() throws Exception {
        String name = unique("env-pool");
        create(envPrinter(name));
        assertTrue(Docker.eventually(Duration.ofSeconds(30),
                () -> hearth.pool().stats().prewarmed().getOrDefault("python", 0) > 0), "pool refilled");

        assertLambdaEnvironment(name, printedEnv(name, "pool"));
        assertLambdaEnvironment(name, printedEnv(name, "warm"));
    }

    @Test
    void aColdContainer_hasTheSameEnvironment() {
        String name = unique("env-cold");
        // Egress functions skip the pool: their containers are started for them.
        create(envPrinter(name).put("network", "egress"));

        assertLambdaEnvironment(name, printedEnv(name, "cold"));
    }

    @Test
    void anAwsSampleReadingTheRegionAtImport_runsUnchanged_asPython313_withLambdasDefaultHandler() {
        String name = unique("aws-sample");
        create(Api.JSON.createObjectNode().put("name", name).put("runtime", "python3.13").set("source",
                Api.JSON.createObjectNode().put("filename", "lambda_function.py").put("content", """
                        import os
                        region = os.environ['AWS_REGION']
                        def lambda_handler(event, context):
                            return {"region": region, "env": os.environ['AWS_EXECUTION_ENV']}
                        """)));
        JsonNode view = api.get("/v1/functions/" + name, token).json();
        assertEquals("python", view.get("runtime").asText(), "Hearth's id, as before");
        assertEquals("python3.13", view.get("lambdaRuntime").asText());
        assertEquals("lambda_function.lambda_handler", view.get("handler").asText());

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("{\"region\":\"eu-west-3\",\"env\":\"AWS_Lambda_python3.13\"}", reply.text());
    }

    @Test
    void nodejs20x_isAccepted_withIndexHandlerByDefault_andSeesTheEnvironmentInProcessEnv() {
        String name = unique("node-lambda");
        create(Api.JSON.createObjectNode().put("name", name).put("runtime", "nodejs20.x").set("source",
                Api.JSON.createObjectNode().put("filename", "index.js").put("content", """
                        exports.handler = async () => ({
                          execEnv: process.env.AWS_EXECUTION_ENV, fn: process.env.AWS_LAMBDA_FUNCTION_NAME,
                          handler: process.env._HANDLER, root: process.env.LAMBDA_TASK_ROOT });
                        """)));

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(200, reply.status(), reply::toString);
        JsonNode env = reply.json();
        assertEquals("AWS_Lambda_nodejs20.x", env.get("execEnv").asText());
        assertEquals(name, env.get("fn").asText());
        assertEquals("index.handler", env.get("handler").asText());
        assertEquals("/run/hearth/code", env.get("root").asText());
    }

    @Test
    void aTimeout_answersHearths504_withLambdasSandboxTimedoutDocument() {
        String name = unique("sleeper");
        create(Api.pythonSource(name, "import time\ndef handler(event, context):\n    time.sleep(30)\n").put("timeoutMs", 3000));

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(504, reply.status(), reply::toString);
        JsonNode error = reply.json().get("error");
        assertEquals("timeout", error.get("type").asText());
        assertEquals("Sandbox.Timedout", error.get("errorType").asText());
        assertEquals("Task timed out after 3.00 seconds", error.get("errorMessage").asText());
        assertEquals("[]", error.get("stackTrace").toString());
    }

    @Test
    void aCrash_answersHearths502_withLambdasRuntimeExitErrorDocument() {
        String name = unique("crasher");
        create(Api.pythonSource(name, "import os\ndef handler(event, context):\n    os._exit(1)\n"));

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(502, reply.status(), reply::toString);
        JsonNode error = reply.json().get("error");
        assertEquals("function_crashed", error.get("type").asText());
        assertEquals("Runtime.ExitError", error.get("errorType").asText());
        assertEquals("RequestId: " + reply.header("X-Hearth-Invocation-Id") + " Error: Runtime exited with error: exit status 1",
                error.get("errorMessage").asText());
        assertEquals("[]", error.get("stackTrace").toString());
    }

    @Test
    void anIdentifierHearthLacks_is400_listingThoseItHas() {
        Api.Reply reply = api.post("/v1/functions", token,
                Api.source(unique("old"), "python3.9", "main.handler", "main.py", "def handler(e, c): pass\n"));

        assertEquals(400, reply.status(), reply::toString);
        assertEquals("bad_request", reply.errorType());
        assertEquals("unknown runtime 'python3.9'; Hearth has python, node, java, java25, python3.13, nodejs20.x, java21",
                reply.json().get("error").get("message").asText());
    }
}
