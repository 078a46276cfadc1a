package dev.hearth.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.CliException;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.Requests;
import dev.hearth.cli.Output;
import dev.hearth.cli.deploy.Deployer;
import dev.hearth.cli.deploy.Project;
import dev.hearth.cli.spec.Change.Action;
import dev.hearth.cli.spec.Change.AliasChange;
import dev.hearth.cli.spec.Change.FunctionChange;
import dev.hearth.cli.spec.Change.RouteChange;
import dev.hearth.cli.spec.Change.UrlChange;
import dev.hearth.cli.spec.Spec.RouteSpec;
import dev.hearth.cli.spec.Spec.UrlSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out a {@link Plan} against the server, change by change in the plan's order. A source
 * function is deployed with the {@link Deployer} (its build followed with live progress, and
 * awaited, so an alias can name the new version); an image function is created or redefined
 * directly. A failure stops the apply with the server's message and how far it got: what was
 * applied stays, and applying again converges the rest.
 */
public final class Applier {

    private final HearthApi api;
    private final Output output;
    private final Deployer deployer;
    /** The version each function serves once its change is made, for aliases on {@code latest}. */
    private final Map<String, Long> versions = new HashMap<>();

    public Applier(HearthApi api, Output output, Deployer deployer) {
        this.api = api;
        this.output = output;
        this.deployer = deployer;
    }

    /** Applies every change; returns what each one did, for {@code --output json}. */
    public List<ObjectNode> apply(Plan plan, Sources sources, Existing existing) {
        existing.functions().forEach((name, f) -> versions.put(name, f.version()));
        List<ObjectNode> done = new ArrayList<>();
        for (Change change : plan.changes()) {
            ObjectNode result = change.json();
            try {
                apply(plan.spec(), change, sources.projects(), result);
            } catch (CliException e) {
                throw new CliException(e.exitCode(), e.getMessage() + " (at '" + change.line() + "'; " + done.size() + " of "
                        + plan.changes().size() + " changes applied before it: apply again to converge)");
            }
            done.add(result);
        }
        return done;
    }

    private void apply(String spec, Change change, Map<String, Project> projects, ObjectNode result) {
        if (change instanceof FunctionChange f) {
            function(spec, f, projects.get(f.name()), result);
        } else if (change instanceof AliasChange a) {
            alias(a, result);
        } else if (change instanceof RouteChange r) {
            route(r, result);
        } else {
            url((UrlChange) change, result);
        }
    }

    private void function(String spec, FunctionChange change, Project project, ObjectNode result) {
        String path = "/v1/functions/" + Requests.segment(change.name());
        if (change.action() == Action.DELETE) {
            output.progress("deleting " + change.name());
            api.delete(path);
            versions.remove(change.name());
            return;
        }
        Desired desired = change.desired();
        JsonNode function;
        if (!change.newVersion()) {
            output.progress("updating " + change.name());
            function = api.patch(path, Requests.fields("concurrency", desired.concurrency(), "minWarm", desired.minWarm(),
                    "labels", desired.labels(spec)));
        } else if (desired.code() instanceof Desired.Source) {
            function = deployer.deploy(api, change.name(), project, settings(desired, spec), output);
        } else {
            Desired.Image image = (Desired.Image) desired.code();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("image", image.image());
            body.put("contract", image.contract());
            body.putAll(settings(desired, spec));
            if (change.action() == Action.CREATE) {
                output.progress("creating " + change.name() + " (image " + image.image() + ")");
                Map<String, Object> create = new LinkedHashMap<>();
                create.put("name", change.name());
                create.putAll(body);
                function = api.post("/v1/functions", create);
            } else {
                output.progress("updating " + change.name() + " (image " + image.image() + ")");
                function = api.put(path, body);
            }
        }
        output.endProgress();
        long version = function.path("version").asLong();
        versions.put(change.name(), version);
        result.put("version", version);
    }

    /** The definition's optional fields, as {@code POST}/{@code PUT} take them (defaults left out). */
    static Map<String, Object> settings(Desired desired, String spec) {
        return Requests.fields(
                "memoryMb", desired.memoryMb(),
                "timeoutMs", desired.timeoutMs(),
                "concurrency", desired.concurrency() == 0 ? null : desired.concurrency(),
                "minWarm", desired.minWarm() == 0 ? null : desired.minWarm(),
                "network", desired.network(),
                "env", desired.spec().env(),
                "description", desired.description(),
                "labels", desired.labels(spec));
    }

    private void alias(AliasChange change, ObjectNode result) {
        String path = "/v1/functions/" + Requests.segment(change.function()) + "/aliases/" + Requests.segment(change.alias());
        if (change.action() == Action.DELETE) {
            api.delete(path);
            return;
        }
        long latest = versions.getOrDefault(change.function(), 0L);
        long version = Planner.version(change.spec().version(), latest);
        api.put(path, Requests.fields("version", version, "weights", Planner.weights(change.spec(), latest),
                "description", change.spec().description()));
        result.put("version", version);
    }

    private void route(RouteChange change, ObjectNode result) {
        if (change.existing() != null) {
            api.delete("/v1/routes/" + Requests.segment(change.existing().path("id").asText()));
        }
        if (change.action() != Action.DELETE) {
            RouteSpec spec = change.spec();
            JsonNode made = api.post("/v1/routes", Requests.fields("method", spec.method(), "path", spec.path(),
                    "function", spec.function(), "qualifier", spec.qualifier(), "auth", spec.auth(), "host", spec.host()));
            result.put("id", made.path("id").asText());
        }
    }

    private void url(UrlChange change, ObjectNode result) {
        String path = "/v1/functions/" + Requests.segment(change.function()) + "/url";
        if (change.action() == Action.DELETE) {
            api.delete(path);
            return;
        }
        UrlSpec spec = change.spec();
        JsonNode made = api.put(path, Requests.fields("auth", spec.auth(), "qualifier", spec.qualifier(), "cors", UrlDiff.cors(spec.cors())));
        result.put("url", made.path("url").asText());
        output.note("url " + change.function() + ": " + made.path("url").asText());
    }
}
