package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * What a call tells the function about itself, per runtime, through the Lambda Invoke API and an
 * unchanged SDK client: the invoked ARN ends in the qualifier the caller named (an alias, a
 * version, {@code $LATEST}) and has none for an unqualified call; {@code X-Amz-Client-Context}
 * reaches the context ({@code client_context} / {@code clientContext} / {@code getClientContext()});
 * {@code X-Amz-Executed-Version} is {@code $LATEST} unqualified, else the version that ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaContextIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_NODE", "1");
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final String CLIENT_CONTEXT = Base64.getEncoder().encodeToString(
            "{\"client\":{\"installation_id\":\"inst-7\",\"app_title\":\"Shop\"},\"custom\":{\"tier\":\"gold\"},\"env\":{\"locale\":\"fr\"}}"
                    .getBytes(StandardCharsets.UTF_8));

    Api api;
    String token;
    LambdaClient lambda;

    @BeforeAll
    void start() throws Exception {
        api = hearth.api();
        token = api.userWithToken("quinn");
        api.createBuilt(token, "ctx-python", Api.pythonSource("ctx-python", """
                def handler(event, context):
                    c = context.client_context
                    return {"arn": context.invoked_function_arn,
                            "installation": c.client.installation_id if c and c.client else None,
                            "title": c.client.app_title if c and c.client else None,
                            "custom": c.custom if c else None, "env": c.env if c else None}
                """));
        api.createBuilt(token, "ctx-node", Api.source("ctx-node", "node", "index.handler", "index.js", """
                exports.handler = async (event, context) => {
                  const c = context.clientContext;
                  return { arn: context.invokedFunctionArn,
                           installation: c && c.client ? c.client.installation_id : null,
                           title: c && c.client ? c.client.app_title : null,
                           custom: c ? c.custom : null, env: c ? c.env : null };
                };
                """));
        api.createBuilt(token, "ctx-java", Api.source("ctx-java", "java", "example.Ctx", "Ctx.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.ClientContext;
                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;
                import java.util.HashMap;
                import java.util.Map;

                public class Ctx implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                    @Override
                    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                        ClientContext c = context.getClientContext();
                        Map<String, Object> out = new HashMap<>();
                        out.put("arn", context.getInvokedFunctionArn());
                        out.put("installation", c != null && c.getClient() != null ? c.getClient().getInstallationId() : null);
                        out.put("title", c != null && c.getClient() != null ? c.getClient().getAppTitle() : null);
                        out.put("custom", c != null ? c.getCustom() : null);
                        out.put("env", c != null ? c.getEnvironment() : null);
                        return out;
                    }
                }
                """));
        for (String name : List.of("ctx-python", "ctx-node", "ctx-java")) {
            assertEquals(200, api.put("/v1/functions/" + name + "/aliases/live", token, Map.of("version", 1)).status());
        }
        Api.Reply key = api.post("/v1/access-keys", token, Map.of());
        assertEquals(201, key.status(), key::toString);
        lambda = LambdaInvokeApiIntegrationTest.client(hearth.port(), key.json().get("accessKeyId").asText(),
                key.json().get("secretAccessKey").asText());
    }

    @AfterAll
    void stop() {
        lambda.close();
    }

    JsonNode call(String name, String qualifier, String clientContext, String[] executed) throws Exception {
        InvokeResponse response = lambda.invoke(r -> r.functionName(name).qualifier(qualifier).clientContext(clientContext)
                .payload(SdkBytes.fromUtf8String("{}")));
        assertEquals(200, response.statusCode());
        assertEquals(null, response.functionError(), () -> response.payload().asUtf8String());
        executed[0] = response.executedVersion();
        return Api.JSON.readTree(response.payload().asByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ctx-python", "ctx-node", "ctx-java"})
    void theQualifierAndClientContext_reachTheFunctionsContext(String name) throws Exception {
        String[] executed = new String[1];

        JsonNode aliased = call(name, "live", CLIENT_CONTEXT, executed);
        assertEquals(ARN + name + ":live", aliased.get("arn").asText());
        assertEquals("1", executed[0], "an alias reports the version it chose");
        assertEquals("inst-7", aliased.get("installation").asText(), aliased::toString);
        assertEquals("Shop", aliased.get("title").asText());
        assertEquals("gold", aliased.get("custom").get("tier").asText());
        assertEquals("fr", aliased.get("env").get("locale").asText());

        JsonNode bare = call(name, null, null, executed);
        assertEquals(ARN + name, bare.get("arn").asText(), "an unqualified call's ARN has no qualifier");
        assertTrue(bare.get("custom").isNull(), "no client context without the header: " + bare);
        assertEquals("$LATEST", executed[0]);

        assertEquals(ARN + name + ":1", call(name, "1", null, executed).get("arn").asText());
        assertEquals("1", executed[0]);
        assertEquals(ARN + name + ":$LATEST", call(name, "$LATEST", null, executed).get("arn").asText());
        assertEquals("$LATEST", executed[0]);
    }
}
