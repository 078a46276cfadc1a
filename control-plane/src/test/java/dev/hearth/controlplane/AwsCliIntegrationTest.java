package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI ({@code aws}, Debian's {@code awscli}) run unchanged against Hearth's Lambda Invoke
 * API with an access key from {@code POST /v1/access-keys}: {@code aws lambda invoke} synchronous,
 * with {@code --log-type Tail}, {@code --invocation-type Event}, {@code --qualifier}, on a failing
 * handler, on an unknown function and with a wrong secret. The CLI reads no user configuration
 * ({@code AWS_CONFIG_FILE=/dev/null}) and reaches nothing but Hearth on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsCliIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    @TempDir
    Path home;
    Api api;
    String token;
    String keyId;
    String secret;

    /** What one {@code aws} run left: its exit code, its standard output and error, the payload file. */
    record Run(int exit, String out, String err, String payload) {
        JsonNode json() throws IOException {
            return Api.JSON.readTree(out);
        }
    }

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("cleo");
        String greet = """
                def handler(event, context):
                    print("greeting " + str(event.get("name")))
                    return {"hello": event.get("name"), "version": context.function_version}
                """;
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("greet", greet)).status());
        assertEquals(200, api.put("/v1/functions/greet", token, Api.pythonSource("greet", greet.replace("greeting", "hi"))).status());
        assertEquals(200, api.put("/v1/functions/greet/aliases/prod", token, Map.of("version", 1)).status());
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("boom", """
                def handler(event, context):
                    raise ValueError("kaboom")
                """)).status());
        Api.Reply key = api.post("/v1/access-keys", token, Map.of());
        assertEquals(201, key.status(), key::toString);
        keyId = key.json().get("accessKeyId").asText();
        secret = key.json().get("secretAccessKey").asText();
    }

    /** {@code aws lambda invoke <args> <outfile>} with the given secret. */
    Run invoke(String secretKey, String... args) throws Exception {
        Path outfile = Files.createTempFile(home, "payload", ".json");
        List<String> command = new ArrayList<>(List.of(awsBinary(), "lambda", "invoke",
                "--endpoint-url", "http://127.0.0.1:" + hearth.port(), "--region", "us-east-1",
                "--cli-binary-format", "raw-in-base64-out", "--no-cli-pager"));
        command.addAll(List.of(args));
        command.add(outfile.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", keyId);
        env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("HOME", home.toString());
        Path stdout = home.resolve("stdout");
        Path stderr = home.resolve("stderr");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws did not finish within 60 s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr), Files.readString(outfile));
    }

    /** Debian's {@code awscli} where it is installed, else whatever {@code aws} the PATH finds. */
    static String awsBinary() {
        return Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
    }

    @Test
    void sync_printsTheResult() throws Exception {
        Run run = invoke(secret, "--function-name", "greet", "--payload", "{\"name\":\"cli\"}");
        assertEquals(0, run.exit(), run::toString);
        assertEquals(200, run.json().get("StatusCode").asInt());
        assertEquals("$LATEST", run.json().get("ExecutedVersion").asText());
        assertEquals("cli", Api.JSON.readTree(run.payload()).get("hello").asText());
    }

    @Test
    void logTypeTail_returnsTheLog() throws Exception {
        Run run = invoke(secret, "--function-name", "greet", "--payload", "{\"name\":\"tail\"}", "--log-type", "Tail");
        assertEquals(0, run.exit(), run::toString);
        String log = new String(Base64.getDecoder().decode(run.json().get("LogResult").asText()), StandardCharsets.UTF_8);
        assertTrue(log.contains("hi tail"), log);
    }

    @Test
    void event_is202() throws Exception {
        Run run = invoke(secret, "--function-name", "greet", "--payload", "{\"name\":\"later\"}", "--invocation-type", "Event");
        assertEquals(0, run.exit(), run::toString);
        assertEquals(202, run.json().get("StatusCode").asInt());
    }

    @Test
    void qualifier_runsTheAliasVersion() throws Exception {
        Run run = invoke(secret, "--function-name", "greet", "--qualifier", "prod", "--payload", "{}");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("1", run.json().get("ExecutedVersion").asText());
        assertEquals("1", Api.JSON.readTree(run.payload()).get("version").asText());
    }

    @Test
    void failingHandler_showsUnhandled_andTheErrorDocument() throws Exception {
        Run run = invoke(secret, "--function-name", "boom", "--payload", "{}");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("Unhandled", run.json().get("FunctionError").asText());
        JsonNode error = Api.JSON.readTree(run.payload());
        assertEquals("ValueError", error.get("errorType").asText());
        assertEquals("kaboom", error.get("errorMessage").asText());
    }

    @Test
    void unknownFunction_isResourceNotFound() throws Exception {
        Run run = invoke(secret, "--function-name", "nope", "--payload", "{}");
        assertNotEquals(0, run.exit(), run::toString);
        assertTrue(run.err().contains("ResourceNotFoundException"), run::toString);
    }

    @Test
    void wrongSecret_isInvalidSignature() throws Exception {
        Run run = invoke("y".repeat(40), "--function-name", "greet", "--payload", "{}");
        assertNotEquals(0, run.exit(), run::toString);
        assertTrue(run.err().contains("InvalidSignatureException"), run::toString);
    }
}
