package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routes and function URLs against a real Hearth and real containers, called with real HTTP
 * clients: the handler's answer becomes the HTTP response, and the request reaches it as an API
 * Gateway HTTP API 2.0 event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutesIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("rita");
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hearth.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSimpleHttpEndpointHandler_answersThroughARouteAndItsUrl_withTheBodyUnwrapped() throws Exception {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("hello", """
                import json
                def handler(event, context):
                    return {"statusCode": 200, "body": json.dumps({"message": "hi " + event["pathParameters"].get("who", "?")
                        if "pathParameters" in event else "hi"}), "headers": {"x-from": event["rawPath"]}}
                """)).status());
        Api.Reply route = api.post("/v1/routes", token, Map.of("method", "GET", "path", "/hello/{who}", "function", "hello",
                "auth", "none"));
        assertEquals(201, route.status(), route::toString);
        HttpResponse<String> answer = get("/hello/ada");
        assertEquals(200, answer.statusCode(), answer::body);
        assertEquals("{\"message\": \"hi ada\"}", answer.body());
        assertEquals("/hello/ada", answer.headers().firstValue("x-from").orElse(null));

        Api.Reply url = api.put("/v1/functions/hello/url", token, Map.of("auth", "none"));
        assertEquals(200, url.status(), url::toString);
        String base = url.json().get("url").asText();
        assertTrue(base.matches("http://127\\.0\\.0\\.1:\\d+/fn/[a-z2-7]{32}/"), base);
        HttpResponse<String> viaUrl = HTTP.send(HttpRequest.newBuilder(URI.create(base + "any/path")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaUrl.statusCode(), viaUrl::body);
        assertEquals("/any/path", viaUrl.headers().firstValue("x-from").orElse(null));
        assertEquals(404, get("/nothing/here").statusCode());
        JsonNode listed = api.get("/v1/routes", token).json().get("routes");
        assertEquals(1, listed.size());
    }
}
