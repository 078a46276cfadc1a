package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routes and function URLs against a real Hearth and real containers, called with real HTTP
 * clients ({@code curl} as a process, and the JDK's client): the handler's answer becomes the
 * HTTP response, and the request reaches it as an API Gateway HTTP API 2.0 event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutesIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", "3")
            .with("HEARTH_POOL_NODE", "1")
            .with("HEARTH_POOL_JAVA", "1")
            .with("HEARTH_ROUTE_DOMAINS", "example.com");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Answers the whole event as its JSON body; under {@code /bin} echoes the body as it came, base64 or not. */
    static final String ECHO = """
            import json
            def handler(event, context):
                if event["rawPath"].startswith("/bin"):
                    return {"statusCode": 200, "headers": {"content-type": "application/octet-stream",
                            "x-was-base64": str(event["isBase64Encoded"])},
                            "body": event.get("body", ""), "isBase64Encoded": event["isBase64Encoded"]}
                return {"statusCode": 200, "body": json.dumps(event)}
            """;

    Api api;
    String token;
    String stranger;
    String base;

    @BeforeAll
    void start() throws Exception {
        api = hearth.api();
        token = api.userWithToken("rita");
        stranger = api.userWithToken("sam");
        base = "http://127.0.0.1:" + hearth.port();
        create(Api.pythonSource("echo", ECHO));
    }

    // --- helpers --------------------------------------------------------------------------------

    static Curl curl(String... args) throws Exception {
        return Curl.run(args);
    }


    static HttpResponse<byte[]> jdk(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    void create(ObjectNode function) throws InterruptedException {
        String name = function.get("name").asText();
        JsonNode built = api.createBuilt(token, name, function);
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/" + name + "/build", token).text());
    }

    /** Makes a route of the caller's; returns its id. */
    String route(String owner, String method, String path, String function, Object... more) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("method", method, "path", path, "function", function, "auth", "none"));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        Api.Reply route = api.post("/v1/routes", owner, body);
        assertEquals(201, route.status(), route::toString);
        return route.json().get("id").asText();
    }

    String url(String function, Map<String, Object> settings) {
        Api.Reply url = api.put("/v1/functions/" + function + "/url", token, settings);
        assertEquals(200, url.status(), url::toString);
        return url.json().get("url").asText();
    }

    int invocations(String function) {
        return api.get("/v1/functions/" + function + "/invocations?limit=100", token).json().get("invocations").size();
    }

    static void assertError(int status, String type, String says, Api.Reply reply) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals(type, reply.errorType(), reply::toString);
        assertTrue(reply.json().path("error").path("message").asText().contains(says), reply::toString);
    }

    // --- cases ----------------------------------------------------------------------------------

    @Test
    void aSimpleHttpEndpointHandler_answersThroughARouteAndItsUrl_withTheBodyUnwrapped() throws Exception {
        create(Api.pythonSource("hello", """
                import json
                def handler(event, context):
                    return {"statusCode": 200, "body": json.dumps({"message": "hi " + event["pathParameters"].get("who", "?")
                        if "pathParameters" in event else "hi"}), "headers": {"x-from": event["rawPath"]}}
                """));
        String id = route(token, "GET", "/hello/{who}", "hello");
        HttpResponse<String> answer = get("/hello/ada");
        assertEquals(200, answer.statusCode(), answer::body);
        assertEquals("{\"message\": \"hi ada\"}", answer.body());
        assertEquals("/hello/ada", answer.headers().firstValue("x-from").orElse(null));

        String url = url("hello", Map.of("auth", "none"));
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/fn/[a-z2-7]{32}/"), url);
        HttpResponse<String> viaUrl = HTTP.send(HttpRequest.newBuilder(URI.create(url + "any/path")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaUrl.statusCode(), viaUrl::body);
        assertEquals("/any/path", viaUrl.headers().firstValue("x-from").orElse(null));
        HttpResponse<String> none = get("/nothing/here");
        assertEquals(404, none.statusCode());
        assertEquals("not_found", Api.JSON.readTree(none.body()).path("error").path("type").asText(), none::body);
        JsonNode listed = api.get("/v1/routes", token).json().get("routes");
        assertTrue(listed.findValuesAsText("id").contains(id), listed::toString);
    }

    @Test
    void theServerlessSimpleHttpEndpointExample_answersCurlWith200AndTheBodyUnwrapped() throws Exception {
        // serverless/examples aws-python-simple-http-endpoint, handler.py as published.
        create(Api.source("sls-hello", "python", "handler.endpoint", "handler.py", """
                import json
                import datetime


                def endpoint(event, context):
                    current_time = datetime.datetime.now().time()
                    body = {
                        "message": "Hello, the current time is " + str(current_time)
                    }

                    response = {
                        "statusCode": 200,
                        "body": json.dumps(body)
                    }

                    return response
                """));
        route(token, "GET", "/ping", "sls-hello");
        Curl answer = curl(base + "/ping");
        assertEquals(200, answer.status(), answer::toString);
        assertTrue(answer.json().get("message").asText().startsWith("Hello, the current time is "), answer::toString);
        assertEquals("application/json", answer.header("content-type"));
        assertEquals(Integer.toString(answer.body().length), answer.header("content-length"));
        assertTrue(answer.header("x-hearth-invocation-id") != null, answer::toString);
    }

    @Test
    void aStatusCodeAndHeaders_becomeTheResponse() throws Exception {
        create(Api.pythonSource("nope", """
                def handler(event, context):
                    return {"statusCode": 404, "headers": {"X-Reason": "no such item", "content-type": "text/plain"}, "body": "nope"}
                """));
        route(token, "GET", "/nope/{id}", "nope");
        Curl answer = curl(base + "/nope/7");
        assertEquals(404, answer.status(), answer::toString);
        assertEquals("no such item", answer.header("x-reason"));
        assertEquals("text/plain", answer.header("content-type"));
        assertEquals("nope", answer.text());
        HttpResponse<byte[]> jdk = jdk(HttpRequest.newBuilder(URI.create(base + "/nope/7")));
        assertEquals(404, jdk.statusCode());
        assertEquals("no such item", jdk.headers().firstValue("x-reason").orElse(null));
    }

    @Test
    void aBinaryBody_arrivesByteForByte_bothWays() throws Exception {
        var image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFFFF0000);
        image.setRGB(2, 1, 0x800000FF);
        var out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", out));
        byte[] png = out.toByteArray();
        create(Api.pythonSource("png", """
                def handler(event, context):
                    return {"statusCode": 200, "headers": {"content-type": "image/png"}, "body": "%s", "isBase64Encoded": True}
                """.formatted(Base64.getEncoder().encodeToString(png))));
        route(token, "GET", "/img/dot.png", "png");
        HttpResponse<byte[]> viaJdk = jdk(HttpRequest.newBuilder(URI.create(base + "/img/dot.png")));
        assertEquals(200, viaJdk.statusCode());
        assertEquals("image/png", viaJdk.headers().firstValue("content-type").orElse(null));
        assertArrayEquals(png, viaJdk.body());
        Curl viaCurl = curl(base + "/img/dot.png");
        assertEquals("image/png", viaCurl.header("content-type"));
        assertArrayEquals(png, viaCurl.body());

        route(token, "POST", "/bin/{proxy+}", "echo");
        byte[] sent = new byte[4096];
        new Random(16).nextBytes(sent);
        sent[0] = (byte) 0xFF; // never valid UTF-8
        HttpResponse<byte[]> echoed = jdk(HttpRequest.newBuilder(URI.create(base + "/bin/raw"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(sent)));
        assertEquals(200, echoed.statusCode(), () -> new String(echoed.body(), StandardCharsets.UTF_8));
        assertEquals("True", echoed.headers().firstValue("x-was-base64").orElse(null), "a binary body reaches the handler base64");
        assertArrayEquals(sent, echoed.body());
        Path file = Files.createTempFile("hearth-bin", ".bin");
        try {
            Files.write(file, png);
            Curl posted = curl("-H", "Content-Type: image/png", "--data-binary", "@" + file, base + "/bin/upload");
            assertEquals("True", posted.header("x-was-base64"));
            assertArrayEquals(png, posted.body());
        } finally {
            Files.delete(file);
        }
        Curl text = curl("-H", "Content-Type: text/plain", "--data-binary", "héllo", base + "/bin/text");
        assertEquals("False", text.header("x-was-base64"), "a UTF-8 text body reaches the handler as text");
        assertEquals("héllo", text.text());
    }

    @Test
    void aPostsBodyQueryPathCookiesAndHeaders_reachTheEventAsTheTwoPointZeroFormatSays() throws Exception {
        route(token, "POST", "/items/{id}", "echo");
        long before = System.currentTimeMillis();
        Curl answer = curl("-X", "POST", "-A", "hearth-test/1.0", "-H", "Content-Type: text/plain",
                "-H", "X-Multi: one", "-H", "X-Multi: two", "-H", "X-Camel-Case: Yes", "-b", "c1=v1; c2=v2",
                "--data-binary", "the body", base + "/items/42?tag=a&tag=b&q=x%20y&plus=a+b");
        assertEquals(200, answer.status(), answer::toString);
        JsonNode event = answer.json();
        assertEquals("2.0", event.get("version").asText());
        assertEquals("POST /items/{id}", event.get("routeKey").asText());
        assertEquals("/items/42", event.get("rawPath").asText());
        assertEquals("tag=a&tag=b&q=x%20y&plus=a+b", event.get("rawQueryString").asText());
        assertEquals(Api.JSON.readTree("{\"tag\":\"a,b\",\"q\":\"x y\",\"plus\":\"a b\"}"), event.get("queryStringParameters"));
        assertEquals(Api.JSON.readTree("{\"id\":\"42\"}"), event.get("pathParameters"));
        assertEquals(Api.JSON.readTree("[\"c1=v1\",\"c2=v2\"]"), event.get("cookies"));
        JsonNode headers = event.get("headers");
        assertEquals("one,two", headers.get("x-multi").asText(), headers::toString);
        assertEquals("Yes", headers.get("x-camel-case").asText());
        assertEquals("text/plain", headers.get("content-type").asText());
        assertFalse(headers.has("cookie"), "cookies move out of the headers");
        headers.fieldNames().forEachRemaining(name -> assertEquals(name.toLowerCase(Locale.ROOT), name));
        JsonNode context = event.get("requestContext");
        assertEquals("POST", context.get("http").get("method").asText());
        assertEquals("/items/42", context.get("http").get("path").asText());
        assertEquals("127.0.0.1", context.get("http").get("sourceIp").asText());
        assertEquals("hearth-test/1.0", context.get("http").get("userAgent").asText());
        assertEquals(answer.header("x-hearth-invocation-id"), context.get("requestId").asText());
        assertTrue(context.get("time").asText().matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"), context::toString);
        long epoch = context.get("timeEpoch").asLong();
        assertTrue(epoch >= before - 1000 && epoch <= System.currentTimeMillis() + 1000, context::toString);
        assertEquals("the body", event.get("body").asText());
        assertFalse(event.get("isBase64Encoded").asBoolean());
    }

    @Test
    void cookiesInTheAnswer_becomeOneSetCookieHeaderEach() throws Exception {
        create(Api.pythonSource("cookies", """
                def handler(event, context):
                    return {"statusCode": 200, "cookies": ["a=1; Path=/; HttpOnly", "b=2; Max-Age=60"], "body": "set"}
                """));
        route(token, "GET", "/cookies", "cookies");
        Curl viaCurl = curl(base + "/cookies");
        assertEquals(List.of("a=1; Path=/; HttpOnly", "b=2; Max-Age=60"), viaCurl.all("set-cookie"), viaCurl::toString);
        HttpResponse<byte[]> viaJdk = jdk(HttpRequest.newBuilder(URI.create(base + "/cookies")));
        assertEquals(List.of("a=1; Path=/; HttpOnly", "b=2; Max-Age=60"), viaJdk.headers().allValues("set-cookie"));
        assertEquals("set", new String(viaJdk.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aCorsPreflight_isAnsweredFromTheUrlsSettings_withoutCallingTheFunction() throws Exception {
        create(Api.pythonSource("corsy", """
                def handler(event, context):
                    return {"statusCode": 200, "headers": {"x-from": "corsy"}, "body": "hello " + event["requestContext"]["http"]["method"]}
                """));
        String url = url("corsy", Map.of("auth", "none", "cors", Map.of("allowOrigins", List.of("https://app.example.com"),
                "allowMethods", List.of("GET", "POST"), "allowHeaders", List.of("content-type", "x-custom"),
                "exposeHeaders", List.of("x-from"), "maxAge", 600)));
        assertEquals("hello GET", curl(url).text());
        int calls = invocations("corsy");
        Curl preflight = curl("-X", "OPTIONS", "-H", "Origin: https://app.example.com", "-H", "Access-Control-Request-Method: POST",
                "-H", "Access-Control-Request-Headers: X-Custom", url + "api");
        assertEquals(204, preflight.status(), preflight::toString);
        assertEquals("https://app.example.com", preflight.header("access-control-allow-origin"));
        assertTrue(preflight.header("access-control-allow-methods").contains("POST"), preflight::toString);
        assertTrue(preflight.header("access-control-allow-headers").toLowerCase(Locale.ROOT).contains("x-custom"), preflight::toString);
        assertEquals("600", preflight.header("access-control-max-age"));
        Curl refused = curl("-X", "OPTIONS", "-H", "Origin: https://evil.example.com", "-H", "Access-Control-Request-Method: GET",
                url + "api");
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("cors_refused", refused.json().path("error").path("type").asText());
        assertEquals(null, refused.header("access-control-allow-origin"));
        assertEquals(calls, invocations("corsy"), "a preflight never reaches the function");

        HttpResponse<byte[]> actual = jdk(HttpRequest.newBuilder(URI.create(url + "api")).header("Origin", "https://app.example.com"));
        assertEquals(200, actual.statusCode());
        assertEquals("https://app.example.com", actual.headers().firstValue("access-control-allow-origin").orElse(null));
        assertEquals("x-from", actual.headers().firstValue("access-control-expose-headers").orElse(null));
        HttpResponse<byte[]> foreign = jdk(HttpRequest.newBuilder(URI.create(url + "api")).header("Origin", "https://evil.example.com"));
        assertEquals(200, foreign.statusCode(), "CORS is the browser's to enforce on actual requests");
        assertTrue(foreign.headers().firstValue("access-control-allow-origin").isEmpty());
        assertEquals(calls + 2, invocations("corsy"));
    }

    @Test
    void aTokenRoute_takesOnlyItsOwnersToken_andDoesNotPassItOn() throws Exception {
        route(token, "GET", "/private/{what}", "echo", "auth", "token");
        Curl without = curl(base + "/private/x");
        assertEquals(401, without.status(), without::toString);
        assertEquals("application/json", without.header("content-type"));
        Curl foreign = curl("-H", "Authorization: Bearer " + stranger, base + "/private/x");
        assertEquals(403, foreign.status(), foreign::toString);
        Curl bogus = curl("-H", "Authorization: Bearer not-a-token", base + "/private/x");
        assertEquals(401, bogus.status(), bogus::toString);
        Curl owner = curl("-H", "Authorization: Bearer " + token, "-H", "X-Kept: yes", base + "/private/x");
        assertEquals(200, owner.status(), owner::toString);
        JsonNode headers = owner.json().get("headers");
        assertFalse(headers.has("authorization"), headers::toString);
        assertEquals("yes", headers.get("x-kept").asText());
        assertFalse(owner.text().contains(token), "the owner's token never reaches the function");
    }

    @Test
    void badRoutesAndUrls_areRefusedWithClearErrors() throws Exception {
        route(token, "GET", "/shop/{item}/price", "echo");
        assertEquals(201, api.post("/v1/functions", stranger, Api.pythonSource("mine", "def handler(e, c):\n    return 1\n")).status());
        Map<String, Object> same = Map.of("method", "GET", "path", "/shop/{sku}/price", "function", "mine", "auth", "none");
        assertError(409, "conflict", "exists already", api.post("/v1/routes", stranger, same));
        assertError(409, "conflict", "exists already", api.post("/v1/routes", token,
                Map.of("method", "GET", "path", "/shop/{x}/price", "function", "echo", "auth", "none")));
        for (String reserved : List.of("/v1/x", "/fn/x", "/healthz")) {
            assertError(400, "bad_request", "reserved", api.post("/v1/routes", token,
                    Map.of("method", "GET", "path", reserved, "function", "echo", "auth", "none")));
        }
        assertError(404, "not_found", "ghost", api.post("/v1/routes", token,
                Map.of("method", "GET", "path", "/ghost", "function", "ghost", "auth", "none")));
        assertError(404, "not_found", "live", api.post("/v1/routes", token,
                Map.of("method", "GET", "path", "/ghost", "function", "echo", "qualifier", "live", "auth", "none")));
        assertError(404, "not_found", "mine", api.post("/v1/routes", token,
                Map.of("method", "GET", "path", "/theirs", "function", "mine", "auth", "none")));
        Map<String, String> malformed = Map.of("/a//b", "empty segment", "/{x}/{x}", "two parameters named 'x'",
                "/{p+}/x", "must be its last segment", "a/b", "must start with '/'", "/a/%zz", "malformed %XX escape");
        malformed.forEach((path, says) -> assertError(400, "bad_request", says, api.post("/v1/routes", token,
                Map.of("method", "GET", "path", path, "function", "echo", "auth", "none"))));
        assertError(400, "bad_request", "must be one of", api.post("/v1/routes", token,
                Map.of("method", "FETCH", "path", "/fetch", "function", "echo", "auth", "none")));
        assertError(400, "bad_request", "auth", api.post("/v1/routes", token,
                Map.of("method", "GET", "path", "/fetch", "function", "echo", "auth", "maybe")));
        for (String origin : List.of("not-an-origin", "https://a.example.com/path", "ftp://a.example.com")) {
            assertError(400, "bad_request", "not an origin", api.put("/v1/functions/echo/url", token,
                    Map.of("auth", "none", "cors", Map.of("allowOrigins", List.of(origin)))));
        }
        assertError(404, "not_found", "", api.put("/v1/functions/ghost/url", token, Map.of("auth", "none")));
        assertError(404, "not_found", "", api.delete("/v1/routes/" + "0".repeat(36), token));
        assertEquals(401, api.post("/v1/routes", null, same).status());
        Curl noUrl = curl(base + "/fn/" + "a".repeat(32) + "/");
        assertEquals(404, noUrl.status(), noUrl::toString);
    }

    @Test
    void aRouteToAnAlias_followsTheAliasAtOnceWhenItIsRepointed() throws Exception {
        create(Api.pythonSource("rel", "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"v1\"}\n"));
        Api.Reply second = api.put("/v1/functions/rel", token,
                Api.pythonSource("rel", "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"v2\"}\n"));
        assertEquals(200, second.status(), second::toString);
        assertEquals(200, api.put("/v1/functions/rel/aliases/live", token, Map.of("version", 1)).status());
        route(token, "GET", "/rel", "rel", "qualifier", "live");
        assertEquals("v1", curl(base + "/rel").text());
        assertEquals(200, api.put("/v1/functions/rel/aliases/live", token, Map.of("version", 2)).status());
        assertEquals("v2", curl(base + "/rel").text(), "the route follows the alias at once");
        assertEquals(200, api.put("/v1/functions/rel/aliases/live", token, Map.of("version", 1)).status());
        assertEquals("v1", get("/rel").body());

        // The owner deletes the alias the route names: the public caller learns neither the alias nor the function.
        assertEquals(204, api.delete("/v1/functions/rel/aliases/live", token).status());
        Curl gone = curl(base + "/rel");
        assertEquals(503, gone.status(), gone::toString);
        assertEquals("unavailable", gone.json().path("error").path("type").asText());
        assertFalse(gone.text().contains("live") || gone.text().contains("rel"), gone::toString);
    }

    @Test
    void answersHttpCannotCarry_failedAndTimedOutFunctions_areTheirOwnStatuses() throws Exception {
        create(Api.pythonSource("bad", """
                def handler(event, context):
                    if event["rawPath"] == "/bad/status":
                        return {"statusCode": 700, "body": "x"}
                    if event["rawPath"] == "/bad/header":
                        return {"statusCode": 200, "headers": {"x-n": 5}, "body": "x"}
                    raise ValueError("secret internals at /srv/app/main.py")
                """));
        create(Api.pythonSource("slow", "import time\ndef handler(event, context):\n    time.sleep(5)\n    return 1\n")
                .put("timeoutMs", 1000));
        route(token, "GET", "/bad/{why}", "bad");
        route(token, "GET", "/slow", "slow");
        Curl status = curl(base + "/bad/status");
        assertEquals(502, status.status(), status::toString);
        assertEquals("bad_function_response", status.json().path("error").path("type").asText());
        assertTrue(status.text().contains("statusCode must be an integer from 100 to 599"), status::toString);
        Curl header = curl(base + "/bad/header");
        assertEquals(502, header.status(), header::toString);
        assertTrue(header.text().contains("header 'x-n' must be a string"), header::toString);
        Curl raised = curl(base + "/bad/raise");
        assertEquals(502, raised.status(), raised::toString);
        assertEquals("function_error", raised.json().path("error").path("type").asText(), raised::toString);
        assertTrue(raised.body().length < 300, raised::toString);
        for (String leak : List.of("Traceback", "ValueError", "secret", "/srv", "main.py", "dev.hearth", "Exception")) {
            assertFalse(raised.text().contains(leak), raised::toString);
        }
        Curl late = curl(base + "/slow");
        assertEquals(504, late.status(), late::toString);
        assertEquals("timeout", late.json().path("error").path("type").asText(), late::toString);
    }

    @Test
    void anEsModuleNodeHandler_andAJavaRequestHandler_serveHttpToo() throws Exception {
        create(Api.source("node-http", "node", "index.handler", "index.mjs", """
                export const handler = async (event) => ({statusCode: 201, headers: {"content-type": "text/plain"}, body: "node " + event.rawPath});
                """));
        String url = url("node-http", Map.of("auth", "none"));
        Curl node = curl(url + "x/y");
        assertEquals(201, node.status(), node::toString);
        assertEquals("text/plain", node.header("content-type"));
        assertEquals("node /x/y", node.text());

        create(Api.source("java-http", "java", "example.Web", "Web.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;
                import java.util.Map;

                public class Web implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                    @Override
                    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                        Map<?, ?> params = (Map<?, ?>) event.get("pathParameters");
                        return Map.of("statusCode", 202, "headers", Map.of("x-runtime", "java"),
                                "body", "java " + params.get("name") + " " + event.get("rawPath"));
                    }
                }
                """));
        route(token, "GET", "/java/{name}", "java-http");
        Curl java = curl(base + "/java/duke");
        assertEquals(202, java.status(), java::toString);
        assertEquals("java", java.header("x-runtime"));
        assertEquals("java duke /java/duke", java.text());
        HttpResponse<byte[]> viaJdk = jdk(HttpRequest.newBuilder(URI.create(base + "/java/ada")));
        assertEquals(202, viaJdk.statusCode());
        assertEquals("java ada /java/ada", new String(viaJdk.body(), StandardCharsets.UTF_8));
    }

    @Test
    void deletingAFunction_removesItsRoutesAndUrl() throws Exception {
        create(Api.pythonSource("doomed", "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"alive\"}\n"));
        String id = route(token, "GET", "/doomed", "doomed");
        String url = url("doomed", Map.of("auth", "none"));
        assertEquals("alive", curl(base + "/doomed").text());
        assertEquals("alive", curl(url).text());
        assertEquals(204, api.delete("/v1/functions/doomed", token).status());
        JsonNode listed = api.get("/v1/routes", token).json().get("routes");
        assertFalse(listed.findValuesAsText("id").contains(id), listed::toString);
        assertEquals(404, curl(base + "/doomed").status());
        Curl gone = curl(url);
        assertEquals(404, gone.status(), gone::toString);
        assertEquals("not_found", gone.json().path("error").path("type").asText());
    }

    @Test
    void theMostSpecificRouteWins_parametersAreDecoded_andHostsAndMethodsSelect() throws Exception {
        route(token, "GET", "/files/{proxy+}", "echo");
        route(token, "GET", "/files/{name}", "echo");
        route(token, "GET", "/files/readme", "echo");
        route(token, "ANY", "/any/{x}", "echo");
        route(token, "GET", "/only", "echo", "host", "api.example.com");
        assertEquals("GET /files/readme", curl(base + "/files/readme").json().get("routeKey").asText());
        JsonNode param = curl(base + "/files/a%20b").json();
        assertEquals("GET /files/{name}", param.get("routeKey").asText());
        assertEquals("a b", param.get("pathParameters").get("name").asText(), "path parameters are decoded");
        assertEquals("/files/a%20b", param.get("rawPath").asText(), "rawPath is as sent");
        JsonNode greedy = curl(base + "/files/a/b%2Fc").json();
        assertEquals("GET /files/{proxy+}", greedy.get("routeKey").asText());
        assertEquals("/files/a/b%2Fc", greedy.get("rawPath").asText());
        JsonNode any = curl("-X", "DELETE", base + "/any/1").json();
        assertEquals("ANY /any/{x}", any.get("routeKey").asText());
        assertEquals("DELETE", any.get("requestContext").get("http").get("method").asText());
        assertEquals(404, curl("-X", "POST", base + "/files/readme").status(), "a route serves its method only");
        Curl head = curl("-I", base + "/files/readme");
        assertEquals(200, head.status(), "HEAD is served by the GET route");
        assertEquals(0, head.body().length);
        assertEquals(404, curl(base + "/only").status(), "a host route serves its host only");
        Curl onHost = curl("-H", "Host: API.example.com:8080", base + "/only");
        assertEquals(200, onHost.status(), onHost::toString);
        assertEquals("GET /only", onHost.json().get("routeKey").asText());

        // A host is the operator's to hand out, and its first user's once routed on.
        assertEquals(201, api.post("/v1/functions", stranger, Api.pythonSource("theirs", "def handler(e, c):\n    return 1\n")).status());
        assertError(409, "conflict", "another user's", api.post("/v1/routes", stranger,
                Map.of("method", "ANY", "path", "/{proxy+}", "function", "theirs", "auth", "none", "host", "api.example.com")));
        assertError(400, "bad_request", "example.com", api.post("/v1/routes", token,
                Map.of("method", "GET", "path", "/x", "function", "echo", "auth", "none", "host", "127.0.0.1")));
        assertError(400, "bad_request", "example.com", api.post("/v1/routes", token,
                Map.of("method", "GET", "path", "/x", "function", "echo", "auth", "none", "host", "example.org")));
    }

    @Test
    void aFunctionUrl_keepsItsIdWhenChanged_isItsOwnersOnly_andGoesWhenDeleted() throws Exception {
        create(Api.pythonSource("urly", "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": event[\"rawPath\"]}\n"));
        String url = url("urly", Map.of("auth", "none"));
        assertEquals("/", curl(url).text());
        assertEquals("/", curl(url.substring(0, url.length() - 1)).text(), "the URL without its trailing slash");
        assertEquals(url, url("urly", Map.of("auth", "token")), "the id is stable for the function");
        Api.Reply read = api.get("/v1/functions/urly/url", token);
        assertEquals(url, read.json().get("url").asText());
        assertEquals("token", read.json().get("auth").asText());
        assertEquals(401, curl(url).status(), "a URL changed to token is at once closed");
        assertEquals(403, curl("-H", "Authorization: Bearer " + stranger, url).status());
        assertEquals("/", curl("-H", "Authorization: Bearer " + token, url).text());
        assertEquals(404, api.get("/v1/functions/urly/url", stranger).status());
        assertEquals(404, api.delete("/v1/functions/urly/url", stranger).status());
        assertEquals(204, api.delete("/v1/functions/urly/url", token).status());
        assertEquals(404, curl("-H", "Authorization: Bearer " + token, url).status(), "a deleted URL is gone at once");
        assertEquals(404, api.get("/v1/functions/urly/url", token).status());
        String again = url("urly", Map.of("auth", "none"));
        assertFalse(again.equals(url), "a new URL gets a new id");
        assertEquals("/", curl(again).text());
    }

    @Test
    void aRoute_isItsOwnersToListAndDelete_andADeletedRouteIsGoneAtOnce() throws Exception {
        String id = route(token, "GET", "/mine/{x}", "echo");
        assertFalse(api.get("/v1/routes", stranger).json().get("routes").findValuesAsText("id").contains(id));
        assertEquals(404, api.delete("/v1/routes/" + id, stranger).status());
        assertEquals(200, curl(base + "/mine/1").status());
        assertEquals(204, api.delete("/v1/routes/" + id, token).status());
        assertEquals(404, curl(base + "/mine/1").status());
        assertEquals(404, api.delete("/v1/routes/" + id, token).status());
    }

    @Test
    void aThrottledCall_isA429_thatNamesNothingOfTheFunction() throws Exception {
        create(Api.pythonSource("busy", "import time\ndef handler(event, context):\n    time.sleep(3)\n    return {\"statusCode\": 200, \"body\": \"done\"}\n")
                .put("concurrency", 1));
        route(token, "GET", "/busy", "busy");
        var first = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/busy")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        Curl second = curl(base + "/busy");
        assertEquals(429, second.status(), second::toString);
        assertEquals("throttled", second.json().path("error").path("type").asText(), second::toString);
        assertFalse(second.text().contains("busy"), "a public caller is not told the function's name: " + second);
        assertFalse(second.text().contains("concurrent"), "nor its limits: " + second);
        assertEquals("done", first.get(30, TimeUnit.SECONDS).body());
    }
}
