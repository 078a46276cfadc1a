package dev.hearth.cli.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hearth.cli.spec.Spec.AliasSpec;
import dev.hearth.cli.spec.Spec.CorsSpec;
import dev.hearth.cli.spec.Spec.FunctionSpec;
import dev.hearth.cli.spec.Spec.RouteSpec;
import dev.hearth.cli.spec.Spec.UrlSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The spec of what exists ({@code hearth export}): each function with the settings that differ
 * from the API's defaults, its aliases and URL, and the routes to it, written so that
 * {@code hearth apply} reads it back. Code is not downloaded (the API serves none): each source
 * function's {@code code} is {@code ./<name>}, where its code is to be put.
 */
public final class Exporter {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // Text that reads as a number ("007", "8080") stays text when read back.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            // Empty settings are left out; a map's entries are all kept (an empty env value is one).
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS))
            .build();

    private Exporter() {}

    /** The spec of {@code names} (in that order) as {@code existing} shows them, and of the routes to them. */
    public static Spec export(Existing existing, Collection<String> names) {
        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        TreeSet<String> specs = new TreeSet<>();
        for (String name : names) {
            Existing.Remote remote = existing.functions().get(name);
            specs.add(remote.spec() == null ? "" : remote.spec());
            functions.put(name, function(remote));
        }
        List<RouteSpec> routes = new ArrayList<>();
        for (JsonNode r : existing.routes()) {
            if (functions.containsKey(r.path("function").asText())) {
                routes.add(new RouteSpec(r.path("method").asText(), r.path("path").asText(), r.path("function").asText(),
                        r.path("qualifier").asText(null), r.path("auth").asText(), r.path("host").asText(null)));
            }
        }
        String name = specs.size() == 1 && !specs.first().isEmpty() ? specs.first() : null;
        return new Spec(name, functions, routes);
    }

    private static FunctionSpec function(Existing.Remote remote) {
        JsonNode f = remote.function();
        boolean image = f.hasNonNull("image");
        Map<String, String> labels = new TreeMap<>(FunctionDiff.strings(f.path("labels")));
        labels.remove(Spec.LABEL);
        Map<String, AliasSpec> aliases = new TreeMap<>();
        remote.aliases().forEach((alias, a) -> {
            Map<String, Double> weights = new TreeMap<>();
            a.path("weights").properties().forEach(e -> weights.put(e.getKey(), e.getValue().asDouble()));
            aliases.put(alias, new AliasSpec(a.path("version").asText(), weights, a.path("description").asText(null)));
        });
        int memory = f.path("memoryMb").asInt(Desired.DEFAULT_MEMORY_MB);
        int timeout = f.path("timeoutMs").asInt(Desired.DEFAULT_TIMEOUT_MS);
        return new FunctionSpec(
                image ? null : "./" + remote.name(),
                image ? null : f.path("runtime").asText(null),
                image ? null : f.path("handler").asText(null),
                image ? f.path("image").asText() : null,
                image ? f.path("contract").asText() : null,
                memory == Desired.DEFAULT_MEMORY_MB ? null : memory,
                timeout == Desired.DEFAULT_TIMEOUT_MS ? null : timeout,
                f.has("concurrency") ? f.path("concurrency").asInt() : null,
                f.has("minWarm") ? f.path("minWarm").asInt() : null,
                "egress".equals(f.path("network").asText()) ? "egress" : null,
                FunctionDiff.strings(f.path("env")),
                f.path("description").asText(null),
                labels,
                aliases,
                url(remote.url()));
    }

    private static UrlSpec url(JsonNode url) {
        if (url == null) {
            return null;
        }
        JsonNode c = url.path("cors");
        CorsSpec cors = c.isObject() ? new CorsSpec(strings(c.path("allowOrigins")), strings(c.path("allowMethods")),
                strings(c.path("allowHeaders")), strings(c.path("exposeHeaders")), c.path("maxAge").asInt(0),
                c.path("allowCredentials").asBoolean(false)) : null;
        return new UrlSpec(url.path("auth").asText(), url.path("qualifier").asText(null), cors);
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(item -> list.add(item.asText()));
        return list;
    }

    /** The spec as YAML, after a comment saying where it came from and that code is not in it. */
    public static String yaml(Spec spec, String endpoint) {
        try {
            return "# Exported by 'hearth export' from " + endpoint + ".\n"
                    + "# Code is not downloaded (Hearth's API serves none): put each function's code at its 'code' path\n"
                    + "# before 'hearth apply -f' this file.\n"
                    + YAML.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec as JSON, for {@code --output json}. */
    public static JsonNode json(Spec spec) {
        return YAML.valueToTree(spec);
    }
}
