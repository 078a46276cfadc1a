package dev.hearth.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.Requests;
import dev.hearth.cli.Output;
import dev.hearth.cli.ServerEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Follows one version's build to its end, showing progress: the build stream
 * ({@code GET /v1/functions/{name}/build?follow=true}) when the server has it, else polls of
 * {@code GET /v1/functions/{name}/build}. On a terminal the progress line rewrites itself with the
 * latest log line; elsewhere each log line is printed as it comes. A failed build prints its last
 * log lines and throws {@link ExitCode#FAILED}.
 */
final class BuildWatch {

    static final int FAILED_LINES_SHOWN = 20;

    private final HearthApi api;
    private final String name;
    private final long version;
    private final Output output;
    private final Duration poll;
    private final long started = System.nanoTime();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private String status = "queued";
    private JsonNode end;

    BuildWatch(HearthApi api, String name, long version, Output output, Duration poll) {
        this.api = api;
        this.name = name;
        this.version = version;
        this.output = output;
        this.poll = poll;
    }

    /** Returns once the build succeeded (or needed none). */
    void await() {
        String path = "/v1/functions/" + Requests.segment(name) + "/build";
        show();
        boolean streamed = api.follow(path + "?follow=true", this::onEvent);
        if (!streamed || end == null) {
            pollUntilEnd(path);
        }
        finish();
    }

    private boolean onEvent(ServerEvent event) {
        JsonNode data = event.json();
        switch (event.name()) {
            case "status" -> {
                if (data.path("version").asLong(version) == version) {
                    status = data.path("status").asText(status);
                    show();
                }
            }
            case "log" -> logLine(data.path("line").asText(""));
            case "end" -> {
                end = data;
                return false;
            }
            default -> { }
        }
        return true;
    }

    private void pollUntilEnd(String path) {
        int shownChars = 0;
        while (true) {
            JsonNode build = api.get(path);
            long v = build.path("version").asLong(version);
            if (v > version) {
                end = HearthApi.JSON.createObjectNode().put("status", "superseded");
                return;
            }
            if (v == version) {
                String s = build.path("status").asText("");
                if (!terminal(build) && !s.isEmpty() && !s.equals(status)) {
                    status = s;
                    show();
                }
                String log = build.path("log").asText("");
                if (log.length() > shownChars) {
                    String fresh = log.substring(shownChars);
                    int cut = fresh.lastIndexOf('\n');
                    String complete = terminal(build) ? fresh : cut < 0 ? "" : fresh.substring(0, cut + 1);
                    complete.lines().forEach(this::logLine);
                    shownChars += complete.length();
                }
                if (terminal(build)) {
                    end = build;
                    return;
                }
            }
            sleep(poll);
        }
    }

    private static boolean terminal(JsonNode build) {
        return switch (build.path("status").asText("")) {
            case "succeeded", "failed", "not_required", "superseded" -> true;
            default -> false;
        };
    }

    private void logLine(String line) {
        lastLines.addLast(line);
        if (lastLines.size() > FAILED_LINES_SHOWN) {
            lastLines.removeFirst();
        }
        if (output.terminal()) {
            show(line);
        } else {
            output.note("  " + line);
        }
    }

    private void show() {
        show(lastLines.peekLast());
    }

    private void show(String line) {
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        String head = status + " " + name + " v" + version + " (" + seconds + " s)";
        output.progress(output.terminal() && line != null && !line.isBlank() ? head + " · " + line.strip() : head);
    }

    private void finish() {
        output.endProgress();
        String result = end.path("status").asText("");
        switch (result) {
            case "succeeded", "not_required" -> output.note("built " + name + " v" + version
                    + (end.has("durationMs") ? " in " + end.path("durationMs").asLong() + " ms" : "")
                    + (end.path("cached").asBoolean(false) ? " (cached)" : ""));
            case "superseded" -> throw Deployer.superseded(name, version);
            default -> {
                String log = end.path("log").asText("");
                Deque<String> tail = new ArrayDeque<>();
                (log.isEmpty() ? lastLines.stream() : log.lines()).forEach(l -> {
                    tail.addLast(l);
                    if (tail.size() > FAILED_LINES_SHOWN) {
                        tail.removeFirst();
                    }
                });
                if (!tail.isEmpty()) {
                    output.warn("build log (last " + tail.size() + " lines):");
                    tail.forEach(l -> output.warn("  " + l));
                }
                throw new CliException(ExitCode.FAILED, "the build of " + name + " v" + version + " failed");
            }
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }
}
