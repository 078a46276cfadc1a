package dev.hearth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Reads a Server-Sent Events answer of Hearth's ({@code ?follow=true}) for {@link HearthApi#follow}, one line at a time within bounds. */
final class EventFollower {

    private final HearthApi api;

    EventFollower(HearthApi api) {
        this.api = api;
    }

    /**
     * Follows a Server-Sent Events answer, handing each event to {@code onEvent} until it returns
     * false or the server ends the stream. Returns false, having read no events, when the server
     * answered with something other than {@code text/event-stream} (a server without streams, which
     * answers the plain JSON of the same path): the caller then polls instead. An error status
     * throws as {@link HearthApi#expectOk} does.
     */
    boolean follow(String path, Predicate<ServerEvent> onEvent) {
        HttpURLConnection connection = openConnection(path);
        String type = connection.getContentType() == null ? "" : connection.getContentType().toLowerCase(Locale.ROOT);
        try (InputStream in = connection.getInputStream()) {
            if (!type.startsWith("text/event-stream")) {
                return false;
            }
            // Events are UTF-8 lines; CR, LF and CRLF all end one, as readLine reads them.
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            ServerEvent.Parser parser = new ServerEvent.Parser();
            for (String line; (line = readLine(reader)) != null; ) {
                ServerEvent event = parser.line(line);
                if (event != null && !onEvent.test(event)) {
                    connection.disconnect();
                    break;
                }
            }
            return true;
        } catch (IOException e) {
            throw api.unreachable(e);
        }
    }

    /** A GET asking for an event stream, answered 2xx (else the server's error thrown), its body not yet read. */
    private HttpURLConnection openConnection(String path) {
        HttpURLConnection connection = api.connect("GET", path, Map.of("Accept", "text/event-stream"), null);
        try {
            int status = connection.getResponseCode();
            if (status / 100 != 2) {
                byte[] body;
                try (InputStream in = HearthApi.body(connection, status)) {
                    body = in == null ? new byte[0] : in.readNBytes(HearthApi.MAX_ERROR_BODY);
                }
                api.expectOk(new HearthApi.Reply(status, new HearthApi.HttpResponseHeaders(connection.getHeaderFields()), body));
            }
            return connection;
        } catch (IOException e) {
            connection.disconnect();
            throw api.unreachable(e);
        }
    }

    /**
     * One line as {@link BufferedReader#readLine} reads it (LF, CR or CRLF ends it), or null at
     * the end; an error past {@link HearthApi#MAX_LINE} characters, where readLine would go on to the heap's end.
     */
    private String readLine(BufferedReader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = reader.read()) != -1; ) {
            if (c == '\n') {
                return line.toString();
            }
            if (c == '\r') {
                reader.mark(1);
                if (reader.read() != '\n') {
                    reader.reset();
                }
                return line.toString();
            }
            if (line.length() == HearthApi.MAX_LINE) {
                throw new CliException(ExitCode.UNAVAILABLE, api.endpoint() + " streamed a line of more than " + HearthApi.MAX_LINE / (1024 * 1024)
                        + " MiB (is it a Hearth endpoint?)");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }
}
