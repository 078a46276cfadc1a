package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.http.RawHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The Lambda Invoke API as an unchanged AWS SDK for Java v2 {@link LambdaClient} sees it, with an
 * access key from {@code POST /v1/access-keys}: synchronous calls (bare result, log tail,
 * executed version, an alias as qualifier), a failing handler (200, {@code Unhandled}, the bare
 * error document), {@code Event} (202, then the async record succeeds), {@code DryRun} (204), and
 * the refusals: an unknown function, a wrong secret, a revoked key, a body that is not JSON; and, as
 * raw requests, a payload past the limit (413), a
 * missing or malformed {@code Authorization} and a stale {@code X-Amz-Date}, each a 403 in Lambda's
 * error shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaInvokeApiIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    Api api;
    String token;
    String keyId;
    String secret;
    LambdaClient lambda;

    static final String GREET = """
            def handler(event, context):
                print("greeting " + str(event.get("name")))
                return {"hello": event.get("name"), "version": context.function_version}
            """;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("lara");
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("greet", GREET)).status());
        Api.Reply second = api.put("/v1/functions/greet", token, Api.pythonSource("greet", GREET.replace("greeting", "hi")));
        assertEquals(200, second.status(), second::toString);
        assertEquals(200, api.put("/v1/functions/greet/aliases/prod", token, Map.of("version", 1)).status());
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("boom", """
                def handler(event, context):
                    raise ValueError("kaboom")
                """)).status());
        JsonNode key = newKey();
        keyId = key.get("accessKeyId").asText();
        secret = key.get("secretAccessKey").asText();
        lambda = client(keyId, secret);
    }

    @AfterAll
    void stop() {
        lambda.close();
    }

    JsonNode newKey() {
        Api.Reply issued = api.post("/v1/access-keys", token, Map.of());
        assertEquals(201, issued.status(), issued::toString);
        return issued.json();
    }

    LambdaClient client(String id, String key) {
        return client(hearth.port(), id, key);
    }

    /** An unchanged SDK client for Hearth on this port, with one access key, never retrying. */
    static LambdaClient client(int port, String id, String key) {
        return LambdaClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, key)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    static SdkBytes json(String text) {
        return SdkBytes.fromString(text, StandardCharsets.UTF_8);
    }

    @Test
    void accessKeys_areListedWithoutSecrets() {
        assertTrue(keyId.matches("HKIA[A-Z2-7]{16}"), keyId);
        assertEquals(40, secret.length());
        Api.Reply listed = api.get("/v1/access-keys", token);
        assertEquals(200, listed.status());
        assertTrue(listed.text().contains(keyId));
        assertTrue(!listed.text().contains(secret), "a listing never shows a secret");
    }

    @Test
    void syncInvoke_answersTheBareResult_withTheLogTail() throws Exception {
        InvokeResponse response = lambda.invoke(r -> r.functionName("greet").payload(json("{\"name\":\"ada\"}")).logType(LogType.TAIL));
        assertEquals(200, response.statusCode());
        assertNull(response.functionError());
        JsonNode result = Api.JSON.readTree(response.payload().asByteArray());
        assertEquals("ada", result.get("hello").asText());
        assertEquals("$LATEST", response.executedVersion(), "an unqualified call runs $LATEST, as Lambda says");
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertTrue(log.contains("hi ada"), log);
    }

    @Test
    void qualifier_runsTheAliasVersion() throws Exception {
        InvokeResponse response = lambda.invoke(r -> r.functionName("greet").qualifier("prod").payload(json("{\"name\":\"bo\"}")));
        assertEquals("1", response.executedVersion());
        assertEquals("1", Api.JSON.readTree(response.payload().asByteArray()).get("version").asText());
        assertNull(response.logResult(), "no log without LogType Tail");
    }

    @Test
    void failingHandler_is200_Unhandled_withTheErrorDocument() throws Exception {
        InvokeResponse response = lambda.invoke(r -> r.functionName("boom").payload(json("{}")));
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.functionError());
        JsonNode error = Api.JSON.readTree(response.payload().asByteArray());
        assertEquals("ValueError", error.get("errorType").asText());
        assertEquals("kaboom", error.get("errorMessage").asText());
        assertTrue(error.has("stackTrace"));
    }

    @Test
    void event_is202_andItsRecordSucceeds() throws Exception {
        InvokeResponse response = lambda.invoke(r -> r.functionName("greet").invocationType(InvocationType.EVENT)
                .payload(json("{\"name\":\"eve\"}")));
        assertEquals(202, response.statusCode());
        assertEquals(0, response.payload().asByteArray().length);
        String id = response.responseMetadata().requestId();
        assertNotNull(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode record = null;
        while (System.nanoTime() < deadline) {
            record = api.get("/v1/invocations/" + id, token).json();
            if ("succeeded".equals(record.path("status").asText())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("async invocation " + id + " did not succeed: " + record);
    }

    @Test
    void dryRun_is204() {
        assertEquals(204, lambda.invoke(r -> r.functionName("greet").invocationType(InvocationType.DRY_RUN)).statusCode());
    }

    @Test
    void unknownFunction_isResourceNotFound() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> lambda.invoke(r -> r.functionName("nope").payload(json("{}"))));
        assertEquals(404, e.statusCode());
    }

    @Test
    void wrongSecret_isInvalidSignature() {
        try (LambdaClient wrong = client(keyId, "x".repeat(40))) {
            LambdaException e = assertThrows(LambdaException.class, () -> wrong.invoke(r -> r.functionName("greet")));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void revokedKey_isUnrecognized() {
        JsonNode key = newKey();
        try (LambdaClient revoked = client(key.get("accessKeyId").asText(), key.get("secretAccessKey").asText())) {
            assertEquals(200, revoked.invoke(r -> r.functionName("greet")).statusCode());
            assertEquals(204, api.delete("/v1/access-keys/" + key.get("accessKeyId").asText(), token).status());
            LambdaException e = assertThrows(LambdaException.class, () -> revoked.invoke(r -> r.functionName("greet")));
            assertEquals(403, e.statusCode());
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void notJson_isInvalidRequestContent() {
        LambdaException e = assertThrows(LambdaException.class,
                () -> lambda.invoke(r -> r.functionName("greet").payload(json("not json"))));
        assertEquals(400, e.statusCode());
        assertEquals("InvalidRequestContentException", e.awsErrorDetails().errorCode());
    }

    @Test
    void payloadPastTheLimit_isRequestTooLarge() throws Exception {
        // A raw socket, written on a thread of its own: the refusal comes before the upload ends
        // and the connection closes, which the JDK client may report as no answer at all.
        RawHttp.Answer reply = RawHttp.send(hearth.port(), "POST", "/2015-03-31/functions/greet/invocations", new byte[6 * 1024 * 1024 + 1]);
        assertEquals(413, reply.status(), reply::toString);
        assertEquals("RequestTooLargeException", reply.headers().get("x-amzn-errortype"));
    }

    @Test
    void missingOrMalformedAuthorization_is403InLambdasShape() {
        assertLambda403(api.send("POST", "/2015-03-31/functions/greet/invocations", null, "{}".getBytes()),
                "MissingAuthenticationTokenException");
        assertLambda403(api.send("POST", "/2015-03-31/functions/greet/invocations", null, "{}".getBytes(),
                "Authorization", "AWS4-HMAC-SHA256 Credential=garbage", "X-Amz-Date", "20250101T000000Z"),
                "IncompleteSignatureException");
        assertLambda403(api.send("POST", "/2015-03-31/functions/greet/invocations", null, "{}".getBytes(),
                "Authorization", "Bearer " + token), "IncompleteSignatureException");
        // Signed, but without X-Amz-Date.
        List<String> headers = signed(Instant.now(), "{}");
        int at = headers.indexOf("X-Amz-Date");
        headers.remove(at + 1);
        headers.remove(at);
        assertLambda403(api.send("POST", "/2015-03-31/functions/greet/invocations", null, "{}".getBytes(),
                headers.toArray(String[]::new)), "IncompleteSignatureException");
    }

    @Test
    void staleOrFutureDate_isSignatureExpired() {
        Api.Reply fresh = api.send("POST", "/2015-03-31/functions/greet/invocations", null, "{}".getBytes(),
                signed(Instant.now(), "{}").toArray(String[]::new));
        assertEquals(200, fresh.status(), "the raw signing below is right: " + fresh);
        Api.Reply stale = api.send("POST", "/2015-03-31/functions/greet/invocations", null, "{}".getBytes(),
                signed(Instant.now().minus(Duration.ofMinutes(6)), "{}").toArray(String[]::new));
        assertLambda403(stale, "InvalidSignatureException");
        assertTrue(stale.json().get("message").asText().startsWith("Signature expired"), stale::toString);
        Api.Reply future = api.send("POST", "/2015-03-31/functions/greet/invocations", null, "{}".getBytes(),
                signed(Instant.now().plus(Duration.ofMinutes(6)), "{}").toArray(String[]::new));
        assertLambda403(future, "InvalidSignatureException");
    }

    void assertLambda403(Api.Reply reply, String code) {
        assertEquals(403, reply.status(), reply::toString);
        assertEquals(code, reply.header("X-Amzn-ErrorType"), reply::toString);
        assertTrue(reply.json().get("message").isTextual(), reply::toString);
        assertEquals("User", reply.json().get("Type").asText());
    }

    /** Authorization and X-Amz-Date, by the SDK's signer, for a request signed at {@code at}. */
    List<String> signed(Instant at, String body) {
        int port = hearth.port();
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http").host("127.0.0.1").port(port)
                .encodedPath("/2015-03-31/functions/greet/invocations").build();
        var signedRequest = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(keyId, secret))
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-3")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        List<String> headers = new ArrayList<>();
        signedRequest.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(name);
                headers.add(values.get(0));
            }
        });
        return headers;
    }
}
