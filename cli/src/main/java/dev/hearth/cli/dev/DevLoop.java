package dev.hearth.cli.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.CliException;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.Requests;
import dev.hearth.cli.Output;
import dev.hearth.cli.deploy.Bundle;
import dev.hearth.cli.deploy.Deployer;
import dev.hearth.cli.deploy.Project;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code hearth dev}: deploys a project, then redeploys it on every save (a burst of events
 * debounced to one change, {@link #QUIET} after the last), while the function's log lines are
 * printed as they come ({@link LogTail}). A deploy that fails prints its line and the loop keeps
 * watching; a save that leaves the code as it was deployed deploys nothing.
 *
 * <p>Ctrl-C (SIGINT) ends it cleanly: the JVM begins its shutdown, and a shutdown hook stops the
 * watch, lets the loop print its final line and halts with status 0 (a Ctrl-C is how a dev loop
 * is meant to end, not a failure). Deploys run on a worker thread, so that a stop never waits for
 * an HTTP call or a build in progress.
 */
public final class DevLoop {

    /** How long a folder must be quiet after an event before the change is deployed. */
    static final Duration QUIET = Duration.ofMillis(150);
    private static final Duration LOG_POLL = Duration.ofMillis(500);
    /** How long the stop waits for the loop to print its last line. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    /** What to watch and deploy: the code, the function's name, and the runtime and handler if given (else detected). */
    public record Options(Path path, String name, String runtime, String handler) {}

    private final HearthApi api;
    private final Output output;
    private final Options options;
    private final Deployer deployer;
    private final LogTail tail;
    private final AtomicBoolean finalLine = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private String deployedSha;

    public DevLoop(HearthApi api, Output output, Options options, Deployer deployer) {
        this.api = api;
        this.output = output;
        this.options = options;
        this.deployer = deployer;
        this.tail = new LogTail(api, options.name(), this::print, LOG_POLL);
    }

    /** Runs until Ctrl-C; the exit code (0). A project with nothing to deploy fails at once instead. */
    public int run() {
        Project first = Project.detect(options.path(), options.runtime(), options.handler());
        FolderWatch watch = new FolderWatch(first.root());
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hearth-dev-deploy");
            t.setDaemon(true);
            return t;
        });
        Thread loop = Thread.currentThread();
        Thread hook = new Thread(() -> stop(watch, loop), "hearth-dev-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            event("watching", "watching " + options.path() + " as " + options.name() + " (Ctrl-C stops)");
            deployOn(worker);
            while (!stopping) {
                Set<Path> changed = watch.next(Duration.ofMinutes(10), QUIET);
                if (changed == null || stopping) {
                    break;
                }
                if (!changed.isEmpty()) {
                    deployOn(worker);
                }
            }
        } catch (InterruptedException e) {
            // Stopped while waiting for a save or a deploy.
        } finally {
            watch.close();
            tail.close();
            worker.shutdownNow();
            printFinalLine();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it halts the JVM with status 0 once this returns.
            }
        }
        return 0;
    }

    /** The shutdown hook's work: stop the loop, give it time for its final line, end with status 0. */
    private void stop(FolderWatch watch, Thread loop) {
        stopping = true;
        watch.close();
        loop.interrupt();
        try {
            finished.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        printFinalLine();
        output.out().flush();
        output.err().flush();
        Runtime.getRuntime().halt(0);
    }

    private void printFinalLine() {
        if (finalLine.compareAndSet(false, true)) {
            output.endProgress();
            event("stopped", "stopped watching " + options.path());
        }
    }

    private void deployOn(ExecutorService worker) throws InterruptedException {
        try {
            worker.submit(this::deploy).get();
        } catch (ExecutionException e) {
            event("failed", "deploy failed: " + (e.getCause().getMessage() == null ? "internal error" : e.getCause().getMessage()));
        }
    }

    /** One deploy of the project as it now is; a failure is one line, and the loop goes on. */
    private void deploy() {
        long started = System.nanoTime();
        try {
            Project project = Project.detect(options.path(), options.runtime(), options.handler());
            String sha = Bundle.of(project).sha256();
            if (sha.equals(deployedSha)) {
                return;
            }
            JsonNode function = deployer.deploy(api, options.name(), project, settings(), output);
            deployedSha = sha;
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            long version = function.path("version").asLong();
            ObjectNode ready = HearthApi.JSON.createObjectNode().put("event", "ready").put("function", options.name())
                    .put("version", version).put("ms", ms);
            if (output.json()) {
                json(ready);
            } else {
                output.note(options.name() + " v" + version + " ready in " + ms + " ms");
            }
            tail.start();
        } catch (CliException e) {
            if (!stopping) {
                event("failed", "deploy failed: " + e.getMessage());
            }
        }
    }

    /**
     * The settings the function has now, sent again with the new code: a {@code PUT} replaces the
     * whole definition, and a dev loop changes the code, not how it runs.
     */
    private Map<String, Object> settings() {
        HearthApi.Reply reply = api.send("GET", "/v1/functions/" + Requests.segment(options.name()), null, Map.of(), null);
        if (reply.status() == 404) {
            return Map.of();
        }
        JsonNode f = api.expectOk(reply).json();
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String field : new String[] {"memoryMb", "timeoutMs", "concurrency", "minWarm"}) {
            if (f.path(field).isInt()) {
                settings.put(field, f.path(field).asInt());
            }
        }
        settings.put("network", f.path("network").asText("none"));
        settings.put("env", HearthApi.JSON.convertValue(f.path("env"), Map.class));
        return settings;
    }

    private void print(LogTail.Line line) {
        if (output.json()) {
            json(HearthApi.JSON.createObjectNode().put("event", "log").put("function", options.name()).put("version", line.version())
                    .put("timestamp", line.timestamp()).put("invocationId", line.invocationId()).put("stream", line.stream())
                    .put("text", line.text()));
        } else {
            output.endProgress();
            output.out().println("[" + options.name() + " v" + line.version() + ("stderr".equals(line.stream()) ? " stderr" : "") + "] "
                    + Output.printable(line.text(), false));
            output.out().flush();
        }
    }

    /** A line about the loop itself: on stderr in text mode, a JSON line on stdout in json mode. */
    private void event(String event, String text) {
        if (output.json()) {
            json(HearthApi.JSON.createObjectNode().put("event", event).put("function", options.name()).put("message", text));
        } else {
            output.warn(text);
        }
    }

    /** One JSON document per line (JSON Lines), so a script reads them as they come. */
    private void json(ObjectNode node) {
        synchronized (output.out()) {
            output.out().println(Output.jsonLine(node));
            output.out().flush();
        }
    }
}
