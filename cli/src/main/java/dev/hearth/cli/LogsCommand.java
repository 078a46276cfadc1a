package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hearth logs NAME [-f]}: what a function's invocations wrote, one line each as
 * {@code timestamp id stream text}, oldest first; {@code -f} keeps following new lines as they are
 * stored (the log stream; polls of the invocation records against a server without it).
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Show a function's log lines; -f follows new ones.")
final class LogsCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C (or the function is deleted).")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "With -f: start with the last N lines (default 10).")
    int tail = 10;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Without -f: the last N lines (default 100).")
    int limit = 100;

    /** One log line as the server keeps it. */
    record Line(String timestamp, String invocationId, String stream, String text) {
        static Line of(JsonNode node) {
            return new Line(node.path("timestamp").asText(""), node.path("invocationId").asText(""),
                    node.path("stream").asText(""), node.path("text").asText(""));
        }

        /** A record's log entry: {@code timestamp<TAB>id<TAB>stream<TAB>text}. */
        static Line ofRecordEntry(String entry) {
            String[] parts = entry.split("\t", 4);
            return parts.length < 4 ? new Line("", "", "", entry) : new Line(parts[0], parts[1], parts[2], parts[3]);
        }

        /** The line as text mode prints it: one row, nothing in it a terminal would act on. */
        String shown() {
            return Output.printable(timestamp + " " + invocationId + " " + stream + " " + text, false);
        }

        JsonNode json() {
            return HearthApi.JSON.createObjectNode().put("timestamp", timestamp).put("invocationId", invocationId)
                    .put("stream", stream).put("text", text);
        }
    }

    @Override
    public Integer call() {
        if (tail < 0 || limit < 1) {
            throw CliException.usage("--tail must be 0 or more and --limit 1 or more");
        }
        HearthCommand root = HearthCommand.of(spec);
        HearthApi api = root.api();
        Output output = root.output();
        String base = "/v1/functions/" + Requests.segment(name);
        if (!follow) {
            List<Line> lines = recent(api, base, limit);
            if (output.json()) {
                var doc = HearthApi.JSON.createObjectNode();
                var array = doc.putArray("lines");
                lines.forEach(l -> array.add(l.json()));
                output.document(doc);
            } else {
                lines.forEach(l -> output.out().println(l.shown()));
            }
            return ExitCode.OK.code();
        }
        boolean[] ended = {false};
        boolean streamed;
        try {
            streamed = api.follow(Requests.query(base + "/logs", Requests.fields("follow", "true", "tail", tail)), event -> {
                switch (event.name()) {
                    case "log" -> print(output, Line.of(event.json()));
                    case "end" -> {
                        ended[0] = true;
                        return false;
                    }
                    default -> { }
                }
                return true;
            });
        } catch (CliException e) {
            if (e.exitCode() != ExitCode.NOT_FOUND) {
                throw e;
            }
            // No such function (this GET says so), or a server without the logs endpoint: poll.
            api.get(base);
            streamed = false;
        }
        if (!streamed) {
            pollRecords(api, base, output);
            ended[0] = true;
        }
        if (ended[0]) {
            output.note(name + " was deleted");
        }
        return ExitCode.OK.code();
    }

    private static void print(Output output, Line line) {
        if (output.json()) {
            // One JSON document per line while following (JSON Lines), so a script reads them as they come.
            output.out().println(Output.jsonLine(line.json()));
        } else {
            output.out().println(line.shown());
        }
        output.out().flush();
    }

    /** The last {@code limit} lines, oldest first: the logs endpoint, else the newest records' logs. */
    private static List<Line> recent(HearthApi api, String base, int limit) {
        HearthApi.Reply reply = api.send("GET", Requests.query(base + "/logs", Requests.fields("limit", limit)), null, Map.of(), null);
        if (reply.status() == 200 && reply.json().has("lines")) {
            List<Line> lines = new ArrayList<>();
            reply.json().path("lines").forEach(l -> lines.add(Line.of(l)));
            return lines;
        }
        if (reply.status() != 404) {
            api.expectOk(reply);
        }
        // A server without the logs endpoint: the lines of the newest invocation records.
        List<Line> lines = fromRecords(api.get(Requests.query(base + "/invocations", Requests.fields("limit", 100))));
        return lines.size() > limit ? lines.subList(lines.size() - limit, lines.size()) : lines;
    }

    private static List<Line> fromRecords(JsonNode answer) {
        List<JsonNode> records = new ArrayList<>();
        answer.path("invocations").forEach(records::add);
        List<Line> lines = new ArrayList<>();
        for (int i = records.size() - 1; i >= 0; i--) {
            records.get(i).path("logs").forEach(entry -> lines.add(Line.ofRecordEntry(entry.asText())));
        }
        return lines;
    }

    /** Follows by polling the newest records, printing the lines of each record not seen before. */
    private void pollRecords(HearthApi api, String base, Output output) {
        String path = Requests.query(base + "/invocations", Requests.fields("limit", 100));
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        boolean first = true;
        while (true) {
            HearthApi.Reply reply = api.send("GET", path, null, Map.of(), null);
            if (reply.status() == 404 && !first) {
                return;
            }
            JsonNode answer = api.expectOk(reply).json();
            List<JsonNode> fresh = new ArrayList<>();
            answer.path("invocations").forEach(r -> {
                if (!seen.contains(r.path("id").asText())) {
                    fresh.add(r);
                }
            });
            List<Line> lines = new ArrayList<>();
            for (int i = fresh.size() - 1; i >= 0; i--) {
                seen.add(fresh.get(i).path("id").asText());
                fresh.get(i).path("logs").forEach(entry -> lines.add(Line.ofRecordEntry(entry.asText())));
            }
            List<Line> shown = first && lines.size() > tail ? lines.subList(lines.size() - tail, lines.size()) : lines;
            shown.forEach(l -> print(output, l));
            first = false;
            for (var it = seen.iterator(); seen.size() > 1000; ) {
                it.next();
                it.remove();
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.OK, "stopped");
        }
    }
}
