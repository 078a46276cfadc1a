package dev.hearth.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.spec.Spec.AliasSpec;
import dev.hearth.cli.spec.Spec.RouteSpec;
import dev.hearth.cli.spec.Spec.UrlSpec;
import java.util.List;

/**
 * One step of a {@link Plan}: what it changes, as one line of the plan ({@code + function hello
 * (python)}, {@code ~ function hello: code changed, memoryMb 128 → 256}, {@code - route GET /old})
 * and as JSON for {@code --output json}.
 */
public sealed interface Change permits Change.FunctionChange, Change.AliasChange, Change.RouteChange, Change.UrlChange {

    /** What a change does, and the sign its line starts with. */
    enum Action {
        CREATE("+"), UPDATE("~"), DELETE("-");

        final String sign;

        Action(String sign) {
            this.sign = sign;
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Action action();

    /** The plan's line for this change. */
    String line();

    /** The change as {@code --output json} shows it. */
    default ObjectNode json() {
        ObjectNode node = HearthApi.JSON.createObjectNode();
        node.put("action", action().id());
        node.put("kind", getClass().getSimpleName().replace("Change", "").toLowerCase(java.util.Locale.ROOT));
        node.put("line", line());
        return node;
    }

    /**
     * A function made, redefined or deleted. An update either makes a new version ({@code PUT}: its
     * code or a setting of the version changed) or only patches what belongs to the function
     * ({@code concurrency}, {@code minWarm}, {@code labels}: a {@code PATCH}, no version).
     *
     * @param desired         null for a deletion
     * @param reasons         what differs, for an update
     * @param newVersion      whether the change makes a version
     * @param expectedVersion the version the function should serve once applied (0 for a deletion)
     */
    record FunctionChange(Action action, String name, Desired desired, List<String> reasons, boolean newVersion,
                          long expectedVersion) implements Change {

        public FunctionChange {
            reasons = List.copyOf(reasons);
        }

        @Override
        public String line() {
            return switch (action) {
                case CREATE -> "+ function " + name + " (" + kind(desired) + ")";
                case UPDATE -> "~ function " + name + ": " + String.join(", ", reasons) + (newVersion ? "" : " (no new version)");
                case DELETE -> "- function " + name + " (with its aliases, routes and URL)";
            };
        }

        @Override
        public ObjectNode json() {
            ObjectNode node = Change.super.json();
            node.put("function", name);
            if (!reasons.isEmpty()) {
                reasons.forEach(node.putArray("reasons")::add);
            }
            if (action != Action.DELETE) {
                node.put("newVersion", newVersion);
            }
            return node;
        }

        static String kind(Desired desired) {
            return desired.code() instanceof Desired.Image image ? "image " + image.image() + ", " + image.contract()
                    : ((Desired.Source) desired.code()).runtime();
        }
    }

    /** An alias pointed ({@code CREATE}, {@code UPDATE}) or removed; {@code to} is its target as the plan shows it. */
    record AliasChange(Action action, String function, String alias, AliasSpec spec, String from, String to) implements Change {
        @Override
        public String line() {
            String which = function + ":" + alias;
            return switch (action) {
                case CREATE -> "+ alias " + which + " → " + to;
                case UPDATE -> "~ alias " + which + ": " + from + " → " + to;
                case DELETE -> "- alias " + which;
            };
        }

        @Override
        public ObjectNode json() {
            ObjectNode node = Change.super.json();
            node.put("function", function).put("alias", alias);
            return node;
        }
    }

    /**
     * A route made, replaced (routes do not change in place: the old one is deleted first) or
     * deleted. {@code existing} is the server's route for a replacement or deletion.
     */
    record RouteChange(Action action, RouteSpec spec, JsonNode existing, List<String> reasons) implements Change {

        public RouteChange {
            reasons = List.copyOf(reasons);
        }

        @Override
        public String line() {
            return switch (action) {
                case CREATE -> "+ route " + spec.key() + " → " + target(spec) + " (auth " + spec.auth() + ")";
                case UPDATE -> "~ route " + spec.key() + ": " + String.join(", ", reasons);
                case DELETE -> "- route " + shown(existing);
            };
        }

        static String target(RouteSpec spec) {
            return spec.function() + (spec.qualifier() == null ? "" : ":" + spec.qualifier());
        }

        static String shown(JsonNode route) {
            String host = route.path("host").asText("");
            return (host.isEmpty() ? "" : host + " ") + route.path("method").asText() + " " + route.path("path").asText();
        }

        @Override
        public ObjectNode json() {
            ObjectNode node = Change.super.json();
            if (spec != null) {
                node.put("method", spec.method()).put("path", spec.path()).put("function", spec.function());
            } else {
                node.put("method", existing.path("method").asText()).put("path", existing.path("path").asText())
                        .put("function", existing.path("function").asText());
            }
            return node;
        }
    }

    /** A function URL created, changed or removed. */
    record UrlChange(Action action, String function, UrlSpec spec, List<String> reasons) implements Change {

        public UrlChange {
            reasons = List.copyOf(reasons);
        }

        @Override
        public String line() {
            return switch (action) {
                case CREATE -> "+ url " + function + " (auth " + spec.auth() + (spec.qualifier() == null ? "" : ", " + spec.qualifier())
                        + (spec.cors() == null ? "" : ", cors") + ")";
                case UPDATE -> "~ url " + function + ": " + String.join(", ", reasons);
                case DELETE -> "- url " + function;
            };
        }

        @Override
        public ObjectNode json() {
            ObjectNode node = Change.super.json();
            node.put("function", function);
            return node;
        }
    }
}
