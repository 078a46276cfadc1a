package dev.hearth.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.spec.Change.Action;
import dev.hearth.cli.spec.Change.AliasChange;
import dev.hearth.cli.spec.Change.FunctionChange;
import dev.hearth.cli.spec.Change.RouteChange;
import dev.hearth.cli.spec.Change.UrlChange;
import dev.hearth.cli.spec.Spec.AliasSpec;
import dev.hearth.cli.spec.Spec.RouteSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes a {@link Plan}: pure code from what the spec wants ({@link Desired}, its routes) and
 * what exists ({@link Existing}), so it is tested against literal server answers.
 *
 * <p>Ownership, as the plan applies it: a function the spec names is the spec's wholly (its
 * settings, its aliases, its URL and every route to it become the spec's); a function carrying
 * another spec's mark is refused (two specs never fight over one function); a function with no
 * mark is adopted, and gets this spec's. Functions the spec does not name are never touched,
 * except with {@code prune}: then those carrying this spec's mark are deleted.
 */
public final class Planner {

    private Planner() {}

    public static Plan plan(String specName, List<Desired> functions, List<RouteSpec> routes, Existing existing, boolean prune) {
        List<Change> changes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Long> versions = new HashMap<>();
        Set<String> named = functions.stream().map(Desired::name).collect(Collectors.toSet());

        for (Desired desired : functions) {
            Existing.Remote remote = existing.functions().get(desired.name());
            if (remote == null) {
                changes.add(new FunctionChange(Action.CREATE, desired.name(), desired, List.of(), true, 1));
                versions.put(desired.name(), 1L);
                continue;
            }
            String owner = remote.spec();
            if (owner != null && !owner.equals(specName)) {
                throw new CliException(ExitCode.CONFLICT, "function '" + desired.name() + "' belongs to spec '" + owner + "' (its "
                        + Spec.LABEL + " label): take it out of one of the two specs, or delete it first");
            }
            if (owner == null) {
                notes.add(desired.name() + " exists without a spec's mark: this spec adopts it");
            }
            List<String> ofVersion = FunctionDiff.ofVersion(desired, remote.function());
            List<String> ofFunction = FunctionDiff.ofFunction(desired, remote.function(), specName);
            List<String> reasons = new ArrayList<>(ofVersion);
            reasons.addAll(ofFunction);
            boolean newVersion = !ofVersion.isEmpty();
            long version = newVersion ? remote.latestVersion() + 1 : remote.version();
            versions.put(desired.name(), version);
            if (!reasons.isEmpty()) {
                changes.add(new FunctionChange(Action.UPDATE, desired.name(), desired, reasons, newVersion, version));
            }
        }

        List<Change> aliasDeletes = new ArrayList<>();
        for (Desired desired : functions) {
            Existing.Remote remote = existing.functions().get(desired.name());
            Map<String, JsonNode> current = remote == null ? Map.of() : remote.aliases();
            long latest = versions.get(desired.name());
            desired.spec().aliases().forEach((alias, spec) -> {
                String to = target(spec, latest);
                JsonNode was = current.get(alias);
                if (was == null) {
                    changes.add(new AliasChange(Action.CREATE, desired.name(), alias, spec, null, to));
                } else if (!same(was, spec, latest)) {
                    String from = shown(was);
                    changes.add(new AliasChange(Action.UPDATE, desired.name(), alias, spec, from,
                            from.equals(to) ? to + " (description changed)" : to));
                }
            });
            current.keySet().stream().filter(alias -> !desired.spec().aliases().containsKey(alias)).sorted().forEach(alias ->
                    aliasDeletes.add(new AliasChange(Action.DELETE, desired.name(), alias, null, shown(current.get(alias)), null)));
        }

        routes(routes, existing, named, changes);

        for (Desired desired : functions) {
            Existing.Remote remote = existing.functions().get(desired.name());
            UrlChange url = UrlDiff.of(desired.name(), desired.spec().url(), remote == null ? null : remote.url());
            if (url != null) {
                changes.add(url);
            }
        }
        changes.addAll(aliasDeletes);

        List<String> dropped = existing.functions().values().stream()
                .filter(f -> specName.equals(f.spec()) && !named.contains(f.name())).map(Existing.Remote::name).sorted().toList();
        if (prune) {
            dropped.forEach(name -> changes.add(new FunctionChange(Action.DELETE, name, null, List.of(), false, 0)));
        } else if (!dropped.isEmpty()) {
            notes.add("no longer in the spec, kept: " + String.join(", ", dropped) + " ('hearth apply --prune' deletes "
                    + (dropped.size() == 1 ? "it" : "them") + ")");
        }
        return new Plan(specName, changes, notes);
    }

    /** Routes to the spec's functions become the spec's: old ones deleted (replaced ones too, first), new ones made. */
    private static void routes(List<RouteSpec> wanted, Existing existing, Set<String> named, List<Change> changes) {
        Map<String, JsonNode> current = new LinkedHashMap<>();
        existing.routes().forEach(r -> current.put(shape(r.path("host").asText(null), r.path("method").asText(), r.path("path").asText()), r));
        Map<String, RouteSpec> desired = new LinkedHashMap<>();
        wanted.forEach(r -> desired.put(shape(r.host(), r.method(), r.path()), r));

        List<Change> deletes = new ArrayList<>();
        List<Change> replaces = new ArrayList<>();
        List<Change> creates = new ArrayList<>();
        current.forEach((shape, route) -> {
            RouteSpec spec = desired.get(shape);
            if (spec == null) {
                if (named.contains(route.path("function").asText())) {
                    deletes.add(new RouteChange(Action.DELETE, null, route, List.of()));
                }
                return;
            }
            List<String> reasons = new ArrayList<>();
            differs(reasons, "path", route.path("path").asText(), spec.path());
            differs(reasons, "function", route.path("function").asText(), spec.function());
            differs(reasons, "qualifier", route.path("qualifier").asText(null), spec.qualifier());
            differs(reasons, "auth", route.path("auth").asText(), spec.auth());
            if (!reasons.isEmpty()) {
                replaces.add(new RouteChange(Action.UPDATE, spec, route, reasons));
            }
        });
        desired.forEach((shape, spec) -> {
            if (!current.containsKey(shape)) {
                creates.add(new RouteChange(Action.CREATE, spec, null, List.of()));
            }
        });
        changes.addAll(deletes);
        changes.addAll(replaces);
        changes.addAll(creates);
    }

    /** What the server tells routes apart by: host, method, and the path with parameter names aside. */
    static String shape(String host, String method, String path) {
        String shape = path.replaceAll("\\{[^}/]*\\+}", "{+}").replaceAll("\\{[^}/+]*}", "{}");
        return (host == null || host.isEmpty() ? "*" : host.toLowerCase(Locale.ROOT)) + " " + method.toUpperCase(Locale.ROOT) + " " + shape;
    }

    static void differs(List<String> reasons, String field, String was, String wanted) {
        if (!java.util.Objects.equals(was, wanted)) {
            reasons.add(field + " " + (was == null ? "none" : was) + " → " + (wanted == null ? "none" : wanted));
        }
    }

    /** The version an alias's {@code latest} (or a number) means. */
    static long version(String version, long latest) {
        return version.equals(AliasSpec.LATEST) ? latest : Long.parseLong(version);
    }

    /** The alias's weights with {@code latest} read as the version it means. */
    static Map<String, Double> weights(AliasSpec spec, long latest) {
        Map<String, Double> weights = new LinkedHashMap<>();
        spec.weights().forEach((v, w) -> weights.put(Long.toString(version(v, latest)), w));
        return weights;
    }

    private static boolean same(JsonNode was, AliasSpec spec, long latest) {
        if (was.path("version").asLong() != version(spec.version(), latest)) {
            return false;
        }
        Map<String, Double> current = new LinkedHashMap<>();
        was.path("weights").properties().forEach(e -> current.put(e.getKey(), e.getValue().asDouble()));
        String description = spec.description() == null || spec.description().isEmpty() ? null : spec.description();
        return current.equals(weights(spec, latest)) && java.util.Objects.equals(was.path("description").asText(null), description);
    }

    /** An alias's target as the plan shows it: {@code v3}, {@code v3 (10% to v4)}. */
    static String target(AliasSpec spec, long latest) {
        StringBuilder text = new StringBuilder("v").append(version(spec.version(), latest));
        weights(spec, latest).forEach((v, w) -> text.append(" (").append(percent(w)).append(" to v").append(v).append(')'));
        return text.toString();
    }

    private static String shown(JsonNode alias) {
        StringBuilder text = new StringBuilder("v").append(alias.path("version").asLong());
        alias.path("weights").properties().forEach(e ->
                text.append(" (").append(percent(e.getValue().asDouble())).append(" to v").append(e.getKey()).append(')'));
        return text.toString();
    }

    private static String percent(double weight) {
        double p = weight * 100;
        return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(Math.round(p * 100) / 100.0)) + "%";
    }
}
