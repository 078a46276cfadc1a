package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hearth invoke NAME}: calls a function and prints its result on stdout, as the server gave
 * it; how the call went ({@code start=pool duration=12ms version=3 id=…}) goes to stderr. A
 * function error is one line on stderr and exit 1.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true, description = "Invoke a function; its result goes to stdout.")
final class InvokeCommand implements Callable<Integer> {

    /** Events are limited to 6 MiB by the server; reading more from a file or stdin is pointless. */
    private static final int MAX_EVENT = 6 * 1024 * 1024 + 1;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE|-", description = "The event: JSON text, @file to read it from a file, - for stdin (default: {}).")
    String data;

    @Option(names = {"-q", "--qualifier"}, description = "An alias, a version number or $LATEST.")
    String qualifier;

    @Option(names = "--async", description = "Queue the call and print its invocation id.")
    boolean async;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        HearthApi api = root.api();
        byte[] event = event(root);
        String path = Requests.query("/v1/functions/" + Requests.segment(name) + "/invoke", Requests.fields("qualifier", qualifier));
        Map<String, String> headers = new LinkedHashMap<>();
        if (async) {
            headers.put("X-Hearth-Invocation-Type", "async");
        }
        HearthApi.Reply reply = api.send("POST", path, event, headers, null);
        Output output = root.output();
        if (reply.status() == 502 && "function_error".equals(reply.json().path("error").path("type").asText())) {
            JsonNode error = reply.json().path("error");
            output.document(reply.json());
            throw new CliException(ExitCode.FAILED, "function error: " + error.path("errorType").asText("Error") + ": "
                    + error.path("errorMessage").asText(""));
        }
        api.expectOk(reply);
        if (async) {
            JsonNode queued = reply.json();
            output.line(queued.path("invocationId").asText(reply.header("X-Hearth-Invocation-Id")));
            output.document(queued);
            return ExitCode.OK.code();
        }
        String id = reply.header("X-Hearth-Invocation-Id");
        JsonNode record = record(api, id);
        String duration = record != null && record.has("totalMs") ? millis(record.path("totalMs").asDouble()) : null;
        if (output.json()) {
            ObjectNode doc = HearthApi.JSON.createObjectNode();
            doc.put("invocationId", id);
            doc.put("start", reply.header("X-Hearth-Start"));
            doc.put("version", reply.header("X-Hearth-Version"));
            if (reply.header("X-Hearth-Alias") != null) {
                doc.put("alias", reply.header("X-Hearth-Alias"));
            }
            if (record != null && record.has("totalMs")) {
                doc.set("durationMs", record.path("totalMs"));
            }
            JsonNode result = reply.json();
            doc.set("result", result.isMissingNode() ? HearthApi.JSON.nullNode() : result);
            output.document(doc);
        } else {
            if (root.console() != null) {
                // On a terminal the result is text for a person: written so it cannot drive the
                // terminal. Piped, it is the server's bytes as they came.
                output.out().println(Output.printable(new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8), true).stripTrailing());
            } else {
                output.out().write(reply.body(), 0, reply.body().length);
                if (reply.body().length == 0 || reply.body()[reply.body().length - 1] != '\n') {
                    output.out().println();
                }
            }
            output.out().flush();
            output.note(metadata(reply, duration, id));
        }
        return ExitCode.OK.code();
    }

    private static String metadata(HearthApi.Reply reply, String duration, String id) {
        StringBuilder line = new StringBuilder();
        append(line, "start", reply.header("X-Hearth-Start"));
        append(line, "duration", duration);
        append(line, "version", reply.header("X-Hearth-Version"));
        append(line, "alias", reply.header("X-Hearth-Alias"));
        append(line, "id", id);
        return line.toString();
    }

    /** {@code 12ms}, or {@code 3.4ms} under ten, as a person reads a duration. */
    static String millis(double ms) {
        return ms < 10 ? String.format(java.util.Locale.ROOT, "%.1fms", ms) : Math.round(ms) + "ms";
    }

    private static void append(StringBuilder line, String key, String value) {
        if (value != null) {
            line.append(line.isEmpty() ? "" : " ").append(key).append('=').append(value);
        }
    }

    /** The call's record, for its duration; null when it cannot be read (the answer stands without it). */
    private static JsonNode record(HearthApi api, String id) {
        if (id == null) {
            return null;
        }
        HearthApi.Reply reply = api.send("GET", "/v1/invocations/" + Requests.segment(id), null, Map.of(), null);
        return reply.status() == 200 ? reply.json() : null;
    }

    private byte[] event(HearthCommand root) {
        if (data == null) {
            return new byte[0];
        }
        try {
            byte[] bytes;
            if (data.equals("-")) {
                bytes = root.in().readNBytes(MAX_EVENT);
            } else if (data.startsWith("@")) {
                Path file = Path.of(data.substring(1));
                if (!Files.isRegularFile(file)) {
                    throw CliException.usage("no such file: " + data.substring(1));
                }
                try (var in = Files.newInputStream(file)) {
                    bytes = in.readNBytes(MAX_EVENT);
                }
            } else {
                bytes = data.getBytes(StandardCharsets.UTF_8);
            }
            if (bytes.length >= MAX_EVENT) {
                throw CliException.usage("the event is over 6 MiB, Hearth's limit");
            }
            return bytes;
        } catch (IOException e) {
            throw CliException.usage("cannot read the event: " + e.getMessage());
        }
    }
}
