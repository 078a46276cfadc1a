package dev.hearth.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.Requests;
import dev.hearth.cli.Output;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts a project on Hearth: zips it ({@link Bundle}), creates the function ({@code POST}) or makes
 * a new version of it ({@code PUT}), follows its build with live progress ({@link BuildWatch}), and
 * answers the function once the new version is ready.
 */
public final class Deployer {

    /** How long a built version may take to show as ready (it is marked so as its build ends). */
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final Duration poll;

    public Deployer() {
        this(Duration.ofMillis(500));
    }

    /** @param poll how often to ask while waiting, when the server does not stream */
    public Deployer(Duration poll) {
        this.poll = poll;
    }

    /**
     * Deploys {@code project} as {@code name} with {@code settings} (the API's optional fields:
     * {@code memoryMb}, {@code timeoutMs}, {@code env}, {@code description}, {@code network},
     * {@code concurrency}, {@code minWarm}; null values left out). Returns the function's JSON with
     * the new version ready; a failed build is a {@link ExitCode#FAILED} error, its last log lines
     * on stderr first.
     */
    public JsonNode deploy(HearthApi api, String name, Project project, Map<String, Object> settings, Output output) {
        Bundle bundle = Bundle.of(project);
        bundle.notes().forEach(output::note);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runtime", project.runtime());
        body.put("handler", project.handler());
        settings.forEach((k, v) -> {
            if (v != null) {
                body.put(k, v);
            }
        });
        body.put("archive", Base64.getEncoder().encodeToString(bundle.zip()));
        String path = "/v1/functions/" + Requests.segment(name);

        HearthApi.Reply existing = api.send("GET", path, null, Map.of(), null);
        HearthApi.Reply reply;
        if (existing.status() == 404) {
            output.progress("creating " + name + " (" + project.runtime() + ", " + project.handler() + ")");
            Map<String, Object> create = new LinkedHashMap<>();
            create.put("name", name);
            create.putAll(body);
            reply = api.send("POST", "/v1/functions", create, Map.of(), null);
            if (reply.status() == 409) {
                // Created by someone else in between (another deploy of the same name): update it instead.
                reply = api.send("PUT", path, body, Map.of(), null);
            }
        } else {
            api.expectOk(existing);
            output.progress("updating " + name + " (" + project.runtime() + ", " + project.handler() + ")");
            reply = api.send("PUT", path, body, Map.of(), null);
        }
        JsonNode function = api.expectOk(reply).json();
        long version = function.has("update") ? function.path("update").path("version").asLong() : function.path("version").asLong();
        boolean building = function.has("update") ? !"ready".equals(function.path("update").path("status").asText())
                : !"ready".equals(function.path("status").asText());
        if (building) {
            new BuildWatch(api, name, version, output, poll).await();
            function = awaitReady(api, path, name, version);
        }
        output.endProgress();
        return function;
    }

    /** The function once {@code version} serves; a failed or replaced version is an error. */
    private JsonNode awaitReady(HearthApi api, String path, String name, long version) {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (true) {
            JsonNode f = api.get(path);
            long current = f.path("version").asLong();
            JsonNode update = f.path("update");
            if (current == version && "ready".equals(f.path("status").asText()) && (!update.isObject() || update.path("version").asLong() > version)) {
                return f;
            }
            if (current > version || update.isObject() && update.path("version").asLong() > version) {
                throw superseded(name, version);
            }
            boolean failed = current == version && "failed".equals(f.path("status").asText())
                    || update.path("version").asLong() == version && "failed".equals(update.path("status").asText());
            if (failed) {
                throw new CliException(ExitCode.FAILED, name + " v" + version + " failed to build");
            }
            if (System.nanoTime() > deadline) {
                throw new CliException(ExitCode.UNAVAILABLE, name + " v" + version + " built, but is not ready after "
                        + READY_WAIT.toSeconds() + " s (see 'hearth get " + name + "')");
            }
            BuildWatch.sleep(Duration.ofMillis(200));
        }
    }

    static CliException superseded(String name, long version) {
        return new CliException(ExitCode.CONFLICT, "a newer definition of " + name + " replaced v" + version + " while it built");
    }
}
