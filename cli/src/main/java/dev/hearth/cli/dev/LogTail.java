package dev.hearth.cli.dev;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.Requests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows a function's log lines on a thread of its own: the log stream
 * ({@code GET /v1/functions/{name}/logs?follow=true&tail=0}, Server-Sent Events), or, against a
 * server without it, polls of the newest invocation records, each new record's lines once.
 *
 * <p>The thread is a daemon: a read blocked on the stream cannot be interrupted (the CLI's HTTP
 * client is {@code HttpURLConnection}), so {@link #close} stops it from printing and it ends with
 * the process; a polling thread is interrupted and joined.
 */
final class LogTail implements AutoCloseable {

    /** One log line as the server gives it. */
    record Line(String timestamp, String invocationId, long version, String stream, String text) {

        static Line ofEvent(JsonNode data) {
            return new Line(data.path("timestamp").asText(""), data.path("invocationId").asText(""), data.path("version").asLong(0),
                    data.path("stream").asText(""), data.path("text").asText(""));
        }

        /** A record's log entry, {@code timestamp<TAB>invocation id<TAB>stream<TAB>text}, of that record's version. */
        static Line ofRecordEntry(String entry, long version) {
            String[] parts = entry.split("\t", 4);
            return parts.length < 4 ? new Line("", "", version, "", entry) : new Line(parts[0], parts[1], version, parts[2], parts[3]);
        }
    }

    private final HearthApi api;
    private final String name;
    private final Consumer<Line> sink;
    private final Duration poll;
    private volatile boolean closed;
    private volatile boolean polling;
    private Thread thread;

    LogTail(HearthApi api, String name, Consumer<Line> sink, Duration poll) {
        this.api = api;
        this.name = name;
        this.sink = sink;
        this.poll = poll;
    }

    /** Starts following, unless it already does. */
    synchronized void start() {
        if (thread != null && thread.isAlive() || closed) {
            return;
        }
        thread = new Thread(this::run, "hearth-dev-logs");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        String base = "/v1/functions/" + Requests.segment(name);
        try {
            boolean streamed = api.follow(Requests.query(base + "/logs", Requests.fields("follow", "true", "tail", 0)), event -> {
                if ("log".equals(event.name()) && !closed) {
                    sink.accept(Line.ofEvent(event.json()));
                }
                // "end": the function was deleted; a later deploy starts the tail again.
                return !closed && !"end".equals(event.name());
            });
            if (streamed) {
                return;
            }
        } catch (CliException e) {
            if (e.exitCode() != ExitCode.NOT_FOUND) {
                return;
            }
            // No log stream on this server: poll the records below.
        }
        pollRecords(base);
    }

    private void pollRecords(String base) {
        polling = true;
        String path = Requests.query(base + "/invocations", Requests.fields("limit", 50));
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        boolean first = true;
        while (!closed) {
            HearthApi.Reply reply;
            try {
                reply = api.send("GET", path, null, Map.of(), null);
            } catch (CliException e) {
                reply = null;
            }
            if (reply != null && reply.status() == 200) {
                List<JsonNode> fresh = new ArrayList<>();
                reply.json().path("invocations").forEach(r -> {
                    if (seen.add(r.path("id").asText())) {
                        fresh.add(r);
                    }
                });
                if (!first) {
                    // Newest first on the server: shown oldest first.
                    for (int i = fresh.size() - 1; i >= 0 && !closed; i--) {
                        long version = fresh.get(i).path("version").asLong(0);
                        fresh.get(i).path("logs").forEach(entry -> sink.accept(Line.ofRecordEntry(entry.asText(), version)));
                    }
                }
                first = false;
                while (seen.size() > 1000) {
                    seen.remove(seen.iterator().next());
                }
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops printing; a polling thread ends at once, a streaming one with the process. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running != null && polling) {
            running.interrupt();
            try {
                running.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
