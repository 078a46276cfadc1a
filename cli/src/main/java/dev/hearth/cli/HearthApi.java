package dev.hearth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Hearth's REST API as the CLI uses it: JSON in, JSON out, and every failure turned into a
 * {@link CliException} whose message is the server's own ({@code {"error":{"type","message"}}})
 * or says plainly that the endpoint could not be reached. Never follows redirects, so a token is
 * only ever sent to the endpoint the user named.
 *
 * <p>Calls go through the JDK's {@link HttpURLConnection}, not {@code HttpClient}: the latter keeps
 * a selector thread in native code, and a JVM exiting with such a thread waits 300 ms for it, which
 * alone is the whole start-up budget of a command. {@code PATCH}, which {@code HttpURLConnection}
 * cannot send, goes through an {@code HttpClient}.
 */
public final class HearthApi {

    /** The one JSON mapper the CLI uses. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_ERROR_BODY = 64 * 1024;
    /** The most of one answer read: far above any of Hearth's (events and results are at most 6 MiB). */
    static final int MAX_ANSWER = 64 * 1024 * 1024;
    /** The longest line of a streamed answer (a log line, an event's field) read. */
    static final int MAX_LINE = 1024 * 1024;

    private final URI endpoint;
    private final String token;

    private HearthApi(URI endpoint, String token) {
        this.endpoint = endpoint;
        this.token = token;
    }

    /** A client for calls that need the user's token. */
    public static HearthApi authenticated(Profile profile) {
        return new HearthApi(endpoint(profile.endpointOrDefault()), profile.requireToken());
    }

    /** A client for sign-up and login, which need no token. */
    public static HearthApi anonymous(String endpoint) {
        return new HearthApi(endpoint(endpoint), null);
    }

    /** The endpoint as a URI, or a usage error naming what is wrong with it. */
    public static URI endpoint(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw CliException.usage("endpoint '" + text + "' is not an http:// or https:// URL");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw CliException.usage("endpoint '" + text + "' must not have a query or fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliException.usage("endpoint '" + text + "' is not an http:// or https:// URL");
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The bearer token, or null for an anonymous client. */
    String token() {
        return token;
    }

    /** An answer the server gave: its status, headers and body. */
    public record Reply(int status, HttpResponseHeaders headers, byte[] body) {

        /** The body read as JSON; a missing node when it is empty or not JSON. */
        public JsonNode json() {
            if (body.length == 0) {
                return MissingNode.getInstance();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }

        public String header(String name) {
            return headers.first(name);
        }
    }

    /** The headers of an answer, looked up without regard to case. */
    public record HttpResponseHeaders(Map<String, List<String>> all) {
        public HttpResponseHeaders {
            Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            all.forEach((k, v) -> {
                if (k != null) {
                    byName.put(k, List.copyOf(v));
                }
            });
            all = byName;
        }

        public String first(String name) {
            List<String> values = all.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    public JsonNode get(String path) {
        return expectOk(send("GET", path, null, Map.of(), null)).json();
    }

    /** The most functions one page of {@code GET /v1/functions} holds. */
    static final int FUNCTION_PAGE = 1000;

    /** Every one of the user's functions, by name: the pages of {@code GET /v1/functions}, each {@code next} followed. */
    public List<JsonNode> functions() {
        List<JsonNode> functions = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = get(Requests.query("/v1/functions", Requests.fields("limit", FUNCTION_PAGE, "after", after)));
            page.path("functions").forEach(functions::add);
            String next = page.hasNonNull("next") ? page.get("next").asText() : null;
            if (next != null && after != null && next.compareTo(after) <= 0) {
                throw new CliException(ExitCode.UNAVAILABLE, "the server's next page does not follow '" + after + "': stopping");
            }
            after = next;
        } while (after != null);
        return functions;
    }

    public JsonNode post(String path, Object body) {
        return expectOk(send("POST", path, body, Map.of(), null)).json();
    }

    public JsonNode put(String path, Object body) {
        return expectOk(send("PUT", path, body, Map.of(), null)).json();
    }

    public JsonNode patch(String path, Object body) {
        return expectOk(send("PATCH", path, body, Map.of(), null)).json();
    }

    public void delete(String path) {
        expectOk(send("DELETE", path, null, Map.of(), null));
    }

    /**
     * Sends one request and returns whatever the server answered, errors included; only a
     * failure to reach the server throws. {@code body} is JSON-encoded unless it is a byte array,
     * which is sent as it is; {@code timeout} null means no limit on the answer.
     */
    public Reply send(String method, String path, Object body, Map<String, String> headers, Duration timeout) {
        byte[] bytes = body == null ? null : body instanceof byte[] raw ? raw : encode(body);
        if ("PATCH".equals(method)) {
            return PatchClient.send(this, path, bytes, headers, timeout);
        }
        HttpURLConnection connection = connect(method, path, headers, timeout);
        try {
            if (bytes != null) {
                if (!headers.containsKey("Content-Type")) {
                    connection.setRequestProperty("Content-Type", "application/json");
                }
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            byte[] answer;
            try (InputStream in = body(connection, status)) {
                answer = in == null ? new byte[0] : readAnswer(in);
            }
            return new Reply(status, new HttpResponseHeaders(connection.getHeaderFields()), answer);
        } catch (IOException e) {
            connection.disconnect();
            throw unreachable(e);
        }
    }

    /** Follows a Server-Sent Events answer: see {@link EventFollower#follow}. */
    public boolean follow(String path, Predicate<ServerEvent> onEvent) {
        return new EventFollower(this).follow(path, onEvent);
    }

    /** The reply when its status is 2xx, else the server's error as a {@link CliException}. */
    public Reply expectOk(Reply reply) {
        if (reply.status() / 100 == 2) {
            return reply;
        }
        throw failure(reply);
    }

    /** The server's error as the CLI reports it: its own message, and an exit code from the status. */
    public CliException failure(Reply reply) {
        JsonNode error = reply.json().path("error");
        String message = error.path("message").asText("");
        if (message.isEmpty()) {
            message = reply.status() == 404
                    ? "not found (is " + endpoint + " a Hearth endpoint?)"
                    : endpoint + " answered " + reply.status() + " without a Hearth error (is it a Hearth endpoint?)";
        }
        return new CliException(ExitCode.ofStatus(reply.status()), message);
    }

    HttpURLConnection connect(String method, String path, Map<String, String> headers, Duration timeout) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint + path).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout(timeout == null ? 0 : (int) Math.max(1, timeout.toMillis()));
            connection.setRequestProperty("Accept", "application/json");
            connection.setRequestProperty("User-Agent", "hearth-cli");
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            headers.forEach(connection::setRequestProperty);
            return connection;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A whole answer, or an error once it passes {@link #MAX_ANSWER} (a hostile or broken server's endless body). */
    byte[] readAnswer(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_ANSWER + 1);
        if (bytes.length > MAX_ANSWER) {
            throw new CliException(ExitCode.UNAVAILABLE, endpoint + " answered more than " + MAX_ANSWER / (1024 * 1024)
                    + " MiB (is it a Hearth endpoint?)");
        }
        return bytes;
    }

    static InputStream body(HttpURLConnection connection, int status) throws IOException {
        return status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    }

    private static byte[] encode(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    CliException unreachable(Throwable e) {
        String why;
        if (e instanceof SocketTimeoutException || e instanceof java.net.http.HttpTimeoutException) {
            why = "no answer in time";
        } else if (e instanceof UnknownHostException || e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
            why = "unknown host";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getMessage() == null ? "the connection failed" : e.getMessage();
        }
        return new CliException(ExitCode.UNAVAILABLE, "cannot reach " + endpoint + ": " + why);
    }
}
