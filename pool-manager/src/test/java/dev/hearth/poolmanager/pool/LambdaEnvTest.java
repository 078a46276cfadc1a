package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.LambdaSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lambda environment a source function's agent is given at /init. */
class LambdaEnvTest {

    Clock clock = Clock.fixed(Instant.parse("2024-12-31T23:59:59Z"), ZoneOffset.UTC);

    static FunctionSpec function(Language language, String handler, Map<String, String> env) {
        return new FunctionSpec("id", "alice", "orders", 3, new Workload.Source(language, handler, "d"),
                new FunctionSettings(512, 3000, 0, env, false, 0));
    }

    Map<String, String> env(FunctionSpec function) {
        var container = new ContainerHandle("docker-id", "a1b2c3d4e5f6", "x", Path.of("/nowhere"), 128);
        return new LambdaEnv(LambdaSettings.DEFAULT, clock).of(function, (Workload.Source) function.workload(), container);
    }

    @Test
    void executionEnv_namesTheLambdaRuntimeOfEachLanguage() {
        assertEquals("AWS_Lambda_python3.13", env(function(Language.PYTHON, "main.handler", Map.of())).get("AWS_EXECUTION_ENV"));
        assertEquals("AWS_Lambda_nodejs20.x", env(function(Language.NODE, "index.handler", Map.of())).get("AWS_EXECUTION_ENV"));
        assertEquals("AWS_Lambda_java21", env(function(Language.JAVA, "example.Hello", Map.of())).get("AWS_EXECUTION_ENV"));
        assertEquals("AWS_Lambda_java25", env(function(Language.JAVA25, "example.Hello", Map.of())).get("AWS_EXECUTION_ENV"));
    }

    @Test
    void theDefaults_areLambdasFirstRegionAndAnAccountOfZeros() {
        Map<String, String> env = env(function(Language.NODE, "src/app.handler", Map.of()));

        assertEquals("us-east-1", env.get("AWS_REGION"));
        assertEquals("us-east-1", env.get("AWS_DEFAULT_REGION"));
        assertEquals("000000000000", env.get("HEARTH_ACCOUNT_ID"));
        assertEquals("src/app.handler", env.get("_HANDLER"));
        assertEquals("512", env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        assertEquals(":UTC", env.get("TZ"));
    }

    @Test
    void theLogStream_isDatedInUtc_andNamesTheVersionAndTheContainer() {
        clock = Clock.fixed(Instant.parse("2025-01-01T00:30:00Z"), ZoneOffset.ofHours(-5));

        assertEquals("2025/01/01/[3]a1b2c3d4e5f6", env(function(Language.PYTHON, "main.handler", Map.of())).get("AWS_LAMBDA_LOG_STREAM_NAME"));
    }

    @Test
    void aUserVariable_winsOverLambdasOfTheSameName_andOthersStay() {
        Map<String, String> env = env(function(Language.PYTHON, "main.handler",
                Map.of("AWS_LAMBDA_FUNCTION_NAME", "mine", "LAMBDA_TASK_ROOT", "/var/task", "OTHER", "x")));

        assertEquals("mine", env.get("AWS_LAMBDA_FUNCTION_NAME"));
        assertEquals("/var/task", env.get("LAMBDA_TASK_ROOT"));
        assertEquals("x", env.get("OTHER"));
        assertEquals("/aws/lambda/orders", env.get("AWS_LAMBDA_LOG_GROUP_NAME"), "derived from the function's name, not the variable");
    }
}
