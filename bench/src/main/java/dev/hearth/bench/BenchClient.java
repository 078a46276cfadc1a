package dev.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

/** A lean REST client of one Hearth with one user's token: creates the no-op function and invokes it. */
final class BenchClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] EVENT = "{\"n\":1}".getBytes();
    private static final String USER = "bench";
    private static final String PASSWORD = "benchmark password";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String token;

    /** Registers the bench user on the Hearth at {@code base} (http://host:port) and takes a token. */
    BenchClient(String base) throws IOException, InterruptedException {
        this(base, USER);
    }

    /** Registers {@code user} on the Hearth at {@code base} and takes a token. */
    BenchClient(String base, String user) throws IOException, InterruptedException {
        this.base = base;
        Map<String, String> credentials = Map.of("username", user, "password", PASSWORD);
        send("POST", "/v1/users", null, credentials, 201);
        this.token = JSON.readTree(send("POST", "/v1/tokens", null, credentials, 201).body()).get("token").asText();
    }

    String base() {
        return base;
    }

    String token() {
        return token;
    }

    /** Creates the no-op function of {@code runtime} under this name; it needs no build. */
    void create(String name, String runtime) throws IOException, InterruptedException {
        send("POST", "/v1/functions", token, function(name, runtime), 201);
    }

    /**
     * Invokes a function with a small event; returns the start kind, and fails on anything but 200.
     * {@link HttpURLConnection} keeps one connection alive per thread and costs far less per call
     * than {@link HttpClient}'s asynchronous machinery. The body is buffered, so headers and body
     * leave in one write: a fixed-length stream writes them apart, and Nagle's algorithm then holds
     * the body for the server's delayed ACK, adding over a millisecond that is the client's, not Hearth's.
     */
    String invoke(String name) throws IOException {
        return call(name, "").getHeaderField("X-Hearth-Start");
    }

    /** How a call on a qualifier started ({@code X-Hearth-Start}) and the version that ran ({@code X-Hearth-Version}). */
    record Answer(String start, String version) {}

    /**
     * Invokes a function on a qualifier (a version or an alias name, URL-safe as the bench's are;
     * null for none) as {@link #invoke(String)} does.
     */
    Answer invoke(String name, String qualifier) throws IOException {
        HttpURLConnection connection = call(name, qualifier == null ? "" : "?qualifier=" + qualifier);
        return new Answer(connection.getHeaderField("X-Hearth-Start"), connection.getHeaderField("X-Hearth-Version"));
    }

    private HttpURLConnection call(String name, String query) throws IOException {
        var connection = (HttpURLConnection) URI.create(base + "/v1/functions/" + name + "/invoke" + query).toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        connection.setRequestProperty("Content-Type", "application/json");
        try (var body = connection.getOutputStream()) {
            body.write(EVENT);
        }
        int status = connection.getResponseCode();
        try (var in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            byte[] answer = in.readAllBytes();
            if (status != 200) {
                throw new IllegalStateException("invoke " + name + " answered " + status + ": " + new String(answer));
            }
        }
        return connection;
    }

    /** What a call answered: its status, how it started ({@code X-Hearth-Start}, /invoke only), its invocation id, its body. */
    record Reply(int status, String start, String invocationId, byte[] body) {}

    /**
     * A request of this user (its bearer token) on one kept-alive connection, as
     * {@link #invoke(String)} makes it; {@code body} null for none. Whatever the status, the
     * answer is read whole, so the connection is reused.
     */
    Reply request(String method, String path, byte[] body) throws IOException {
        var connection = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (var out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (var in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            byte[] answer = in == null ? new byte[0] : in.readAllBytes();
            return new Reply(status, connection.getHeaderField("X-Hearth-Start"), connection.getHeaderField("X-Hearth-Invocation-Id"), answer);
        }
    }

    /** The no-op function's body for {@code POST /v1/functions}, and {@code PUT /v1/functions/{name}} to make a new version. */
    static Map<String, Object> function(String name, String runtime) throws IOException {
        return function(name, runtime, BenchCode.handler(runtime), BenchCode.files(runtime));
    }

    /** A function's body for {@code POST /v1/functions} with this handler and code. */
    static Map<String, Object> function(String name, String runtime, String handler, Map<String, byte[]> files) {
        return Map.of("name", name, "runtime", runtime, "handler", handler,
                "archive", Base64.getEncoder().encodeToString(BenchCode.zip(files)));
    }

    /** Puts a JSON body as this user; fails unless the answer has the expected status. */
    JsonNode put(String path, Object body, int expected) throws IOException, InterruptedException {
        return JSON.readTree(send("PUT", path, token, body, expected).body());
    }

    /** Posts a JSON body as this user; fails unless the answer has the expected status. */
    JsonNode post(String path, Object body, int expected) throws IOException, InterruptedException {
        return JSON.readTree(send("POST", path, token, body, expected).body());
    }

    /** Gets a resource of this user as JSON; fails unless the answer is 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(base + path)).GET().header("Authorization", "Bearer " + token).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + new String(response.body()));
        }
        return JSON.readTree(response.body());
    }

    /** {@code GET /healthz} as JSON, whatever its status. */
    JsonNode health() throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(base + "/healthz")).GET().build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    private HttpResponse<byte[]> send(String method, String path, String bearer, Object body, int expected)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + new String(response.body()));
        }
        return response;
    }
}
