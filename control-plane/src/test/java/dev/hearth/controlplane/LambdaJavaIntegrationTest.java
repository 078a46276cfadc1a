package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lambda compatibility of the Java runtime against real containers: aws-lambda-java-log4j2's
 * appender with {@code %X{AWSRequestId}}, Lambda's error documents (frames without {@code at },
 * init errors under the types Lambda reports) and the context's fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaJavaIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", "0")
            .with("HEARTH_POOL_NODE", "0")
            .with("HEARTH_POOL_JAVA", "2");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("lambda-java");
    }

    private void createReady(ObjectNode body, String name) throws InterruptedException {
        JsonNode built = api.createBuilt(token, name, body);
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/" + name + "/build", token).text());
    }

    /** The record's log lines of one invocation. */
    private List<String> logs(Api.Reply invoked) {
        JsonNode record = api.record(token, invoked);
        List<String> lines = new ArrayList<>();
        record.get("logs").forEach(line -> lines.add(line.asText()));
        return lines;
    }

    /** A line's text: what follows {@code timestamp \t request id \t stream \t}. */
    private static String text(String line) {
        return line.split("\t", 4)[3];
    }

    @Test
    void log4j2WithTheLambdaAppender_showsTheRequestIdInEachLine_andNoEmptyEntries() throws Exception {
        createReady(Api.archive("java-log4j2", "java", "example.Logs::handle", Map.of(
                "pom.xml", """
                        <project xmlns="http://maven.apache.org/POM/4.0.0">
                          <modelVersion>4.0.0</modelVersion>
                          <groupId>example</groupId><artifactId>logs</artifactId><version>1.0</version>
                          <properties>
                            <maven.compiler.release>21</maven.compiler.release>
                            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                          </properties>
                          <dependencies>
                            <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-core</artifactId><version>1.2.3</version></dependency>
                            <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-log4j2</artifactId><version>1.6.0</version></dependency>
                            <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.17.1</version></dependency>
                            <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>2.17.1</version></dependency>
                          </dependencies>
                        </project>
                        """,
                "src/main/resources/log4j2.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <Configuration packages="com.amazonaws.services.lambda.runtime.log4j2">
                          <Appenders>
                            <Lambda name="Lambda">
                              <PatternLayout>
                                <pattern>%d{yyyy-MM-dd HH:mm:ss} %X{AWSRequestId} %-5p %c{1}:%L - %m%n</pattern>
                              </PatternLayout>
                            </Lambda>
                          </Appenders>
                          <Loggers>
                            <Root level="info"><AppenderRef ref="Lambda"/></Root>
                          </Loggers>
                        </Configuration>
                        """,
                "src/main/java/example/Logs.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import org.apache.logging.log4j.LogManager;
                        import org.apache.logging.log4j.Logger;

                        public class Logs {
                            private static final Logger LOG = LogManager.getLogger(Logs.class);

                            public String handle(String name, Context context) {
                                LOG.info("hello " + name);
                                LOG.warn("careful, " + name);
                                return context.getAwsRequestId();
                            }
                        }
                        """)), "java-log4j2");

        for (String name : List.of("Ada", "Bob", "Cy")) {
            Api.Reply invoked = api.invoke(token, "java-log4j2", "\"" + name + "\"");
            assertEquals(200, invoked.status(), invoked::toString);
            String requestId = invoked.header("X-Hearth-Invocation-Id");
            assertEquals("\"" + requestId + "\"", invoked.text(), "the context's request id is the invocation's");
            // The first call's record holds nothing log4j printed about itself while loading: the
            // container has no network, yet its host name resolves (the agent's OwnHostName).
            List<String> lines = logs(invoked);
            assertEquals(2, lines.size(), "one entry per log4j line, no empty one after it, no status errors: " + lines);
            assertTrue(text(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d " + requestId + " INFO  Logs:\\d+ - hello " + name),
                    lines::toString);
            assertTrue(text(lines.get(1)).matches(".* " + requestId + " WARN  Logs:\\d+ - careful, " + name), lines::toString);
        }
    }

    @Test
    void aRaisingHandler_givesLambdasDocument_framesWithoutAtAndNoAgentFrames() throws Exception {
        createReady(Api.source("java-raises", "java", "example.Raises", "Raises.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;
                import java.io.IOException;
                import java.util.Map;

                public class Raises implements RequestHandler<Map<String, Object>, String> {
                    @Override
                    public String handleRequest(Map<String, Object> event, Context context) {
                        return fail();
                    }

                    private String fail() {
                        throw new IllegalStateException("asked to fail", new IOException("disk gone"));
                    }
                }
                """), "java-raises");

        Api.Reply failed = api.invoke(token, "java-raises", "{}");
        assertEquals(502, failed.status(), failed::toString);
        JsonNode error = failed.json().get("error");
        assertEquals("java.lang.IllegalStateException", error.get("errorType").asText());
        assertEquals("asked to fail", error.get("errorMessage").asText());
        List<String> frames = new ArrayList<>();
        error.get("stackTrace").forEach(frame -> frames.add(frame.asText()));
        // The handler's frames only (then, as on Lambda, the compiler's bridge method handleRequest(Object, Context)).
        assertEquals(List.of("example.Raises.fail(Raises.java:15)", "example.Raises.handleRequest(Raises.java:11)"), frames.subList(0, 2));
        assertTrue(frames.stream().allMatch(frame -> frame.startsWith("example.Raises.")), frames::toString);
        List<String> lines = logs(failed);
        assertTrue(lines.stream().anyMatch(l -> text(l).equals("Caused by: java.io.IOException: disk gone")),
                "the whole trace, causes too, goes to the log as on Lambda: " + lines);
        assertFalse(lines.toString().contains("dev.hearth"), lines::toString);
        assertEquals("warm", api.invoke(token, "java-raises", "{}").header("X-Hearth-Start"), "the agent survives the exception");
    }

    @Test
    void initErrors_keepTheTypesLambdaReports() throws Exception {
        createReady(Api.source("java-static-fails", "java", "example.StaticFails", "StaticFails.java", """
                package example;

                public class StaticFails {
                    static final String CONFIG = load();

                    static String load() {
                        throw new IllegalStateException("no config");
                    }

                    public static String handle(String event) {
                        return CONFIG + event;
                    }
                }
                """), "java-static-fails");
        Api.Reply staticFails = api.invoke(token, "java-static-fails", "\"x\"");
        assertEquals(502, staticFails.status(), staticFails::toString);
        JsonNode error = staticFails.json().get("error");
        assertEquals("java.lang.ExceptionInInitializerError", error.get("errorType").asText());
        assertEquals("Error loading class example.StaticFails", error.get("errorMessage").asText());
        assertEquals("example.StaticFails.load(StaticFails.java:7)", error.get("stackTrace").get(0).asText(), error::toString);

        createReady(Api.source("java-constructor-fails", "java", "example.ConstructorFails::handle", "ConstructorFails.java", """
                package example;

                public class ConstructorFails {
                    public ConstructorFails() {
                        throw new IllegalArgumentException("missing TABLE_NAME");
                    }

                    public String handle(String event) {
                        return event;
                    }
                }
                """), "java-constructor-fails");
        Api.Reply constructorFails = api.invoke(token, "java-constructor-fails", "\"x\"");
        assertEquals(502, constructorFails.status(), constructorFails::toString);
        error = constructorFails.json().get("error");
        assertEquals("java.lang.IllegalArgumentException", error.get("errorType").asText());
        assertEquals("missing TABLE_NAME", error.get("errorMessage").asText());
        assertEquals("example.ConstructorFails.<init>(ConstructorFails.java:5)", error.get("stackTrace").get(0).asText(), error::toString);
    }

    @Test
    void theContext_readsTheLambdaEnvironment() throws Exception {
        ObjectNode body = Api.source("java-context", "java", "example.Ctx::handle", "Ctx.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.Context;
                import java.util.LinkedHashMap;
                import java.util.Map;

                public class Ctx {
                    public Map<String, Object> handle(Object event, Context context) {
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("name", context.getFunctionName());
                        out.put("version", context.getFunctionVersion());
                        out.put("arn", context.getInvokedFunctionArn());
                        out.put("group", context.getLogGroupName());
                        out.put("stream", context.getLogStreamName());
                        out.put("memory", context.getMemoryLimitInMB());
                        out.put("identity", context.getIdentity());
                        out.put("clientContext", context.getClientContext());
                        return out;
                    }
                }
                """);
        body.put("memoryMb", 256);
        body.putObject("env")
                .put("AWS_LAMBDA_FUNCTION_NAME", "java-context")
                .put("AWS_LAMBDA_FUNCTION_VERSION", "7")
                .put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
                .put("AWS_REGION", "eu-west-3")
                .put("HEARTH_ACCOUNT_ID", "123456789012")
                .put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/java-context")
                .put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/22/[7]0123abcd");
        createReady(body, "java-context");

        Api.Reply invoked = api.invoke(token, "java-context", "{}");
        assertEquals(200, invoked.status(), invoked::toString);
        assertEquals("{\"name\":\"java-context\",\"version\":\"7\",\"arn\":\"arn:aws:lambda:eu-west-3:123456789012:function:java-context\","
                + "\"group\":\"/aws/lambda/java-context\",\"stream\":\"2026/11/22/[7]0123abcd\",\"memory\":256,"
                + "\"identity\":null,\"clientContext\":null}", invoked.text());
    }
}
