package dev.hearth.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.poolmanager.code.TestZips;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A small REST client for integration tests: real HTTP against a running Hearth. */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** One answer: status, headers and the body parsed as JSON (null when empty). */
    public record Reply(int status, HttpResponse<byte[]> raw) {
        public JsonNode json() {
            try {
                return raw.body().length == 0 ? null : JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        public String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String errorType() {
            return json().path("error").path("type").asText();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    /** Sends a request; {@code headers} are name, value pairs. */
    public Reply send(String method, String path, String token, byte[] body, String... headers) {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply post(String path, String token, Object json) {
        return send("POST", path, token, bytes(json));
    }

    public Reply put(String path, String token, Object json) {
        return send("PUT", path, token, bytes(json));
    }

    public Reply patch(String path, String token, Object json) {
        return send("PATCH", path, token, bytes(json));
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    public Reply invoke(String token, String name, String body) {
        return send("POST", "/v1/functions/" + name + "/invoke", token, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Registers a user and returns a fresh token for it. */
    public String userWithToken(String username) {
        var credentials = Map.of("username", username, "password", "correct horse battery");
        Reply created = post("/v1/users", null, credentials);
        if (created.status() != 201) {
            throw new IllegalStateException("register " + username + ": " + created);
        }
        return token(username, "correct horse battery");
    }

    public String token(String username, String password) {
        Reply reply = post("/v1/tokens", null, Map.of("username", username, "password", password));
        if (reply.status() != 201) {
            throw new IllegalStateException("token for " + username + ": " + reply);
        }
        return reply.json().get("token").asText();
    }

    /** Creates a function (201, or 202 while it builds) and waits for its build: the function as it then is. */
    public JsonNode createBuilt(String token, String name, Object body) throws InterruptedException {
        Reply created = post("/v1/functions", token, body);
        if (created.status() != 201 && created.status() != 202) {
            throw new IllegalStateException("create " + name + ": " + created);
        }
        return awaitBuilt(token, name);
    }

    /** The invocation record of a call's answer (its {@code X-Hearth-Invocation-Id}). */
    public JsonNode record(String token, Reply invoked) {
        return get("/v1/invocations/" + invoked.header("X-Hearth-Invocation-Id"), token).json();
    }

    /** Polls a function until its build has ended; returns the function as it then is. */
    public JsonNode awaitBuilt(String token, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (System.nanoTime() < deadline) {
            Reply reply = get("/v1/functions/" + name, token);
            if (reply.status() != 200) {
                throw new IllegalStateException("function " + name + ": " + reply);
            }
            if (!"building".equals(reply.json().get("status").asText())) {
                return reply.json();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("build of " + name + " did not end within 8 minutes");
    }

    /** An image function. */
    public static ObjectNode image(String name, String image, String contract) {
        return JSON.createObjectNode().put("name", name).put("image", image).put("contract", contract);
    }

    /** A function of any runtime from one source file. */
    public static ObjectNode source(String name, String runtime, String handler, String filename, String code) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("runtime", runtime).put("handler", handler);
        body.putObject("source").put("filename", filename).put("content", code);
        return body;
    }

    /** A function of any runtime from a zip holding the given files. */
    public static ObjectNode archive(String name, String runtime, String handler, Map<String, String> files) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("runtime", runtime).put("handler", handler);
        body.put("archive", Base64.getEncoder().encodeToString(TestZips.ofText(files)));
        return body;
    }

    /** A Python function from one source file named main.py. */
    public static ObjectNode pythonSource(String name, String code) {
        return source(name, "python", "main.handler", "main.py", code);
    }

    /** A Python handler that answers "hello". */
    public static final String PYTHON_HELLO = """
            def handler(event, context):
                return "hello"
            """;

    /** The pre-started containers of {@code runtime} waiting, as {@code GET /healthz} reports them. */
    public int prewarmed(String runtime) {
        Reply health = get("/healthz", null);
        if (health.status() != 200) {
            throw new AssertionError("GET /healthz: " + health);
        }
        return health.json().path("prewarmed").path(runtime).asInt(-1);
    }

    /** A Python function from a zip holding the given files. */
    public static ObjectNode pythonArchive(String name, Map<String, String> files) {
        return archive(name, "python", "main.handler", files);
    }

    private static byte[] bytes(Object json) {
        try {
            return json instanceof byte[] raw ? raw : JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
