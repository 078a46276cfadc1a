package dev.hearth.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code PATCH}, which {@link java.net.HttpURLConnection} refuses to send, over the JDK's
 * {@link HttpClient}: made only when a command patches, since its selector thread makes the JVM's
 * exit wait 300 ms.
 */
final class PatchClient {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private PatchClient() {}

    static HearthApi.Reply send(HearthApi api, String path, byte[] bytes, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.endpoint() + path))
                .header("Accept", "application/json")
                .header("User-Agent", "hearth-cli");
        if (timeout != null) {
            request.timeout(timeout);
        }
        if (api.token() != null) {
            request.header("Authorization", "Bearer " + api.token());
        }
        headers.forEach(request::header);
        if (bytes != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        request.method("PATCH", bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<java.io.InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (var in = response.body()) {
                body = api.readAnswer(in);
            }
            return new HearthApi.Reply(response.statusCode(), new HearthApi.HttpResponseHeaders(response.headers().map()), body);
        } catch (IOException e) {
            throw api.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }
}
