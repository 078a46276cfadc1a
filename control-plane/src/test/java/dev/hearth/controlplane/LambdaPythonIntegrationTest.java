package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Python code written for Lambda runs unchanged, against real containers: Lambda's root log
 * handler and line format, the context object's fields, handler strings and error documents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaPythonIntegrationTest {

    /** {@code [LEVEL]<TAB>2026-01-02T03:04:05.678Z<TAB><request id><TAB><message>}, as Lambda's handler writes it. */
    private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("lambda-py");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void create(Object body) {
        Api.Reply reply = api.post("/v1/functions", token, body);
        assertEquals(201, reply.status(), reply::toString);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode lambdaFunction(String name, String code) {
        return Api.source(name, "python", "lambda_function.lambda_handler", "lambda_function.py", code);
    }

    private List<String> logs(Api.Reply invoked) {
        JsonNode record = api.record(token, invoked);
        List<String> lines = new ArrayList<>();
        record.get("logs").forEach(l -> lines.add(l.asText()));
        return lines;
    }

    private static boolean hasLine(List<String> lines, String id, String level, String requestId, String message) {
        Pattern line = Pattern.compile(STAMP + "\\t" + Pattern.quote(id) + "\\tstdout\\t\\[" + level + "]\\t" + STAMP
                + "\\t" + Pattern.quote(requestId) + "\\t" + Pattern.quote(message));
        return lines.stream().anyMatch(l -> line.matcher(l).matches());
    }

    @Test
    void awsLoggingPattern_linesAreTaggedWithTheRequestId_andBasicConfigChangesNothing() {
        String name = unique("logging");
        create(lambdaFunction(name, """
                import logging
                logger = logging.getLogger()
                logger.setLevel(logging.INFO)
                logging.basicConfig(level=logging.DEBUG, format="%(message)s")
                logger.info("loading")

                def lambda_handler(event, context):
                    logger.info("hello %s", event["who"])
                    logging.getLogger("app.child").warning("careful")
                    logger.debug("not at INFO")
                    return "ok"
                """));

        Api.Reply reply = api.invoke(token, name, "{\"who\":\"ada\"}");
        assertEquals(200, reply.status(), reply::toString);
        String id = reply.header("X-Hearth-Invocation-Id");
        List<String> lines = logs(reply);
        assertTrue(hasLine(lines, id, "INFO", id, "hello ada"), lines::toString);
        assertTrue(hasLine(lines, id, "WARNING", id, "careful"), "a child logger's record reaches the root's handler: " + lines);
        assertTrue(hasLine(lines, id, "INFO", "", "loading"), "a line logged at import has no request id, as on Lambda: " + lines);
        assertFalse(lines.toString().contains("not at INFO"), lines::toString);
        assertEquals(3, lines.size(), "basicConfig added no second handler: " + lines);
    }

    @Test
    void awsLambdaLogLevel_setsTheRootLevel() {
        String name = unique("level");
        var body = lambdaFunction(name, """
                import logging
                def lambda_handler(event, context):
                    logging.getLogger().debug("debugging")
                    return logging.getLogger().level
                """);
        body.putObject("env").put("AWS_LAMBDA_LOG_LEVEL", "DEBUG");
        create(body);

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals("10", reply.text(), reply::toString);
        assertTrue(hasLine(logs(reply), reply.header("X-Hearth-Invocation-Id"), "DEBUG", reply.header("X-Hearth-Invocation-Id"), "debugging"));
    }

    @Test
    void awsSample_readingAwsRegionAtImport_runs() {
        String name = unique("region");
        var body = lambdaFunction(name, """
                import os
                REGION = os.environ['AWS_REGION']

                def lambda_handler(event, context):
                    return {"region": REGION}
                """);
        body.putObject("env").put("AWS_REGION", "eu-west-3");
        create(body);

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("{\"region\":\"eu-west-3\"}", reply.text());
    }

    @Test
    void raisingHandler_givesLambdasErrorDocument_withTheFunctionsFramesOnly_andLogsIt() {
        String name = unique("raises");
        create(lambdaFunction(name, """
                def check(order):
                    raise ValueError("order " + order + " is not valid")

                def lambda_handler(event, context):
                    check(event["order"])
                """));

        Api.Reply failed = api.invoke(token, name, "{\"order\":\"A1\"}");
        assertEquals(502, failed.status(), failed::toString);
        JsonNode error = failed.json().get("error");
        assertEquals("ValueError", error.get("errorType").asText());
        assertEquals("order A1 is not valid", error.get("errorMessage").asText());
        JsonNode trace = error.get("stackTrace");
        assertEquals(2, trace.size(), "the agent's frames are left out: " + trace);
        assertEquals("  File \"/run/hearth/code/lambda_function.py\", line 5, in lambda_handler\n    check(event[\"order\"])\n",
                trace.get(0).asText());
        assertEquals("  File \"/run/hearth/code/lambda_function.py\", line 2, in check\n"
                + "    raise ValueError(\"order \" + order + \" is not valid\")\n", trace.get(1).asText());

        List<String> lines = logs(failed);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\tstdout\t[ERROR] ValueError: order A1 is not valid\rTraceback (most recent call last):\r")),
                "the error is logged as Lambda logs it: " + lines);
    }

    @Test
    void syntaxError_isUserCodeSyntaxError() {
        String name = unique("syntax");
        create(lambdaFunction(name, "def lambda_handler(event, context)\n    return 1\n"));

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(502, reply.status(), reply::toString);
        JsonNode error = reply.json().get("error");
        assertEquals("Runtime.UserCodeSyntaxError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().startsWith("Syntax error in module 'lambda_function': "), error::toString);
        assertEquals("  File \"/run/hearth/code/lambda_function.py\" Line 1\n    def lambda_handler(event, context)\n",
                error.get("stackTrace").get(0).asText());
    }

    @Test
    void exceptionAtImport_keepsItsType_andAMissingModuleIsImportModuleError() {
        String name = unique("keyerror");
        create(lambdaFunction(name, "import os\nTABLE = os.environ['TABLE_NAME']\n\ndef lambda_handler(event, context):\n    return TABLE\n"));
        JsonNode error = api.invoke(token, name, "{}").json().get("error");
        assertEquals("KeyError", error.get("errorType").asText(), error::toString);
        assertEquals("'TABLE_NAME'", error.get("errorMessage").asText());
        assertTrue(error.get("stackTrace").get(0).asText().startsWith("  File \"/run/hearth/code/lambda_function.py\", line 2, in <module>\n"),
                "the trace starts at the function's own module: " + error);

        String missing = unique("missing");
        create(lambdaFunction(missing, "import requests_not_installed\n\ndef lambda_handler(event, context):\n    return 1\n"));
        JsonNode importError = api.invoke(token, missing, "{}").json().get("error");
        assertEquals("Runtime.ImportModuleError", importError.get("errorType").asText());
        assertEquals("Unable to import module 'lambda_function': No module named 'requests_not_installed'",
                importError.get("errorMessage").asText());
    }

    @Test
    void context_hasLambdasFields() {
        String name = unique("context");
        var body = lambdaFunction(name, """
                def lambda_handler(event, context):
                    return {"memory": context.memory_limit_in_mb, "memoryType": type(context.memory_limit_in_mb).__name__,
                            "identityId": context.identity.cognito_identity_id,
                            "identityPool": context.identity.cognito_identity_pool_id,
                            "clientContext": context.client_context, "id": context.aws_request_id,
                            "name": context.function_name, "version": context.function_version,
                            "arn": context.invoked_function_arn, "group": context.log_group_name,
                            "stream": context.log_stream_name, "left": context.get_remaining_time_in_millis()}
                """);
        body.put("memoryMb", 256);
        create(body);

        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(200, reply.status(), reply::toString);
        JsonNode ctx = reply.json();
        assertEquals("256", ctx.get("memory").asText());
        assertEquals("str", ctx.get("memoryType").asText());
        assertTrue(ctx.get("identityId").isNull() && ctx.get("identityPool").isNull(), ctx::toString);
        assertTrue(ctx.get("clientContext").isNull(), ctx::toString);
        assertEquals(reply.header("X-Hearth-Invocation-Id"), ctx.get("id").asText());
        assertEquals(name, ctx.get("name").asText());
        assertEquals("1", ctx.get("version").asText());
        assertTrue(ctx.get("arn").asText().matches("arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:" + name
                + "|hrn:hearth:function:" + name + ":1"), ctx::toString);
        assertTrue(ctx.get("group").asText().endsWith(name), ctx::toString);
        assertFalse(ctx.get("stream").asText().isEmpty(), ctx::toString);
        assertTrue(ctx.get("left").asInt() > 0, ctx::toString);
    }

    @Test
    void handlerForms_lambdaFunctionAndAModuleInAPackage() {
        String name = unique("forms");
        create(Api.archive(name, "python", "lambda_function.lambda_handler", Map.of(
                "lambda_function.py", "def lambda_handler(event, context):\n    return 'default form'\n")));
        assertEquals("\"default form\"", api.invoke(token, name, "{}").text());

        String nested = unique("nested");
        create(Api.archive(nested, "python", "app.api.handlers.endpoint", Map.of(
                "app/__init__.py", "",
                "app/api/handlers.py", "def endpoint(event, context):\n    return 'nested ' + __name__\n")));
        assertEquals("\"nested app.api.handlers\"", api.invoke(token, nested, "{}").text());
    }
}
