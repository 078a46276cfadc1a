package dev.hearth.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.Requests;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What exists on the server, as its REST API shows it: the user's functions (with the aliases and
 * URL of those a spec names), and the user's routes. Kept as the API's JSON, so that the planner
 * is tested against literal answers.
 *
 * @param functions every function of the user, by name
 * @param routes    every route of the user
 */
public record Existing(Map<String, Remote> functions, List<JsonNode> routes) {

    public Existing {
        functions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(functions));
        routes = List.copyOf(routes);
    }

    /**
     * One function: its JSON ({@code GET /v1/functions/{name}}), its aliases by name and its URL
     * (null when it has none); aliases and URL are read only for the functions a spec names.
     */
    public record Remote(JsonNode function, Map<String, JsonNode> aliases, JsonNode url) {

        public Remote {
            aliases = aliases == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        }

        public String name() {
            return function.path("name").asText();
        }

        /** The spec whose mark the function carries, or null. */
        public String spec() {
            JsonNode label = function.path("labels").path(Spec.LABEL);
            return label.isTextual() ? label.asText() : null;
        }

        /** The version that serves. */
        public long version() {
            return function.path("version").asLong();
        }

        /** The newest version defined: a pending one's (still building, or failed) when there is one. */
        public long latestVersion() {
            return Math.max(version(), function.path("update").path("version").asLong(0));
        }
    }

    /** Reads what exists: every function and route, and the aliases and URL of the functions named. */
    public static Existing read(HearthApi api, Collection<String> named) {
        Map<String, Remote> functions = new LinkedHashMap<>();
        for (JsonNode function : api.functions()) {
            String name = function.path("name").asText();
            if (!named.contains(name)) {
                functions.put(name, new Remote(function, Map.of(), null));
                continue;
            }
            String base = "/v1/functions/" + Requests.segment(name);
            Map<String, JsonNode> aliases = new LinkedHashMap<>();
            for (JsonNode alias : api.get(base + "/aliases").path("aliases")) {
                aliases.put(alias.path("name").asText(), alias);
            }
            HearthApi.Reply url = api.send("GET", base + "/url", null, Map.of(), null);
            functions.put(name, new Remote(function, aliases, url.status() == 404 ? null : api.expectOk(url).json()));
        }
        List<JsonNode> routes = new ArrayList<>();
        api.get("/v1/routes").path("routes").forEach(routes::add);
        return new Existing(functions, routes);
    }
}
