package dev.hearth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Hearth's REST API as the CLI uses it: JSON in, JSON out, and every failure turned into a
 * {@link CliException} whose message is the server's own ({@code {"error":{"type","message"}}})
 * or says plainly that the endpoint could not be reached. Never follows redirects, so a token is
 * only ever sent to the endpoint the user named.
 */
public final class HearthApi {

    /** The one JSON mapper the CLI uses. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final URI endpoint;
    private final String token;
    private final HttpClient http;

    private HearthApi(URI endpoint, String token) {
        this.endpoint = endpoint;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
    public record HttpResponseHeaders(java.net.http.HttpHeaders headers) {
        public String first(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public JsonNode get(String path) {
        return expectOk(send("GET", path, null, Map.of(), null)).json();
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
        HttpRequest.Builder request = request(path, timeout);
        headers.forEach(request::header);
        byte[] bytes = body == null ? null : body instanceof byte[] raw ? raw : encode(body);
        if (bytes != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), new HttpResponseHeaders(response.headers()), response.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }

    /**
     * Streams a long-lived answer line by line (Server-Sent Events or chunked text) to
     * {@code lines} until the server ends it; an error status throws as {@link #expectOk} does.
     */
    public void stream(String path, Consumer<String> lines) {
        HttpRequest.Builder request = request(path, null).header("Accept", "text/event-stream").GET();
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() / 100 != 2) {
                byte[] body;
                try (Stream<String> s = response.body()) {
                    body = String.join("\n", (Iterable<String>) s::iterator).getBytes(StandardCharsets.UTF_8);
                }
                expectOk(new Reply(response.statusCode(), new HttpResponseHeaders(response.headers()), body));
            }
            try (Stream<String> s = response.body()) {
                s.forEach(lines);
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (java.io.UncheckedIOException e) {
            throw unreachable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }

    /**
     * Follows a Server-Sent Events answer, handing each event to {@code onEvent} until it returns
     * false or the server ends the stream. Returns false, having read no events, when the server
     * answered with something other than {@code text/event-stream} (a server without streams, which
     * answers the plain JSON of the same path): the caller then polls instead. An error status
     * throws as {@link #expectOk} does.
     */
    public boolean follow(String path, java.util.function.Predicate<ServerEvent> onEvent) {
        HttpRequest.Builder request = request(path, null).header("Accept", "text/event-stream").GET();
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    byte[] body = String.join("\n", (Iterable<String>) lines::iterator).getBytes(StandardCharsets.UTF_8);
                    expectOk(new Reply(response.statusCode(), new HttpResponseHeaders(response.headers()), body));
                }
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream")) {
                    return false;
                }
                ServerEvent.Parser parser = new ServerEvent.Parser();
                for (var it = lines.iterator(); it.hasNext(); ) {
                    ServerEvent event = parser.line(it.next());
                    if (event != null && !onEvent.test(event)) {
                        break;
                    }
                }
                return true;
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (java.io.UncheckedIOException e) {
            throw unreachable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }

    /** Opens a long-lived answer as a stream, for callers that read it on their own thread. */
    public InputStream open(String path) {
        HttpRequest.Builder request = request(path, null).header("Accept", "text/event-stream").GET();
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                byte[] body;
                try (InputStream in = response.body()) {
                    body = in.readNBytes(64 * 1024);
                }
                expectOk(new Reply(response.statusCode(), new HttpResponseHeaders(response.headers()), body));
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
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

    /** Encodes query parameters, skipping null values. */
    public static String query(String path, Map<String, ?> params) {
        StringBuilder out = new StringBuilder(path);
        char separator = path.indexOf('?') < 0 ? '?' : '&';
        for (var entry : params.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            out.append(separator).append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(String.valueOf(entry.getValue()), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    /** One path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON object from alternating keys and values, null values left out. */
    public static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .header("Accept", "application/json")
                .header("User-Agent", "hearth-cli");
        if (timeout != null) {
            request.timeout(timeout);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static byte[] encode(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private CliException unreachable(Throwable e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else if (e instanceof ConnectException && e.getCause() instanceof UnresolvedAddressException
                || e.getCause() instanceof UnresolvedAddressException) {
            why = "unknown host";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getMessage() == null ? "the connection failed" : e.getMessage();
        }
        return new CliException(ExitCode.UNAVAILABLE, "cannot reach " + endpoint + ": " + why);
    }
}
