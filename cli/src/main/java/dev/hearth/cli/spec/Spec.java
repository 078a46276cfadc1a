package dev.hearth.cli.spec;

import java.util.List;
import java.util.Map;

/**
 * A {@code hearth.yaml}: the functions a project declares, with their aliases and URLs, and the
 * routes to them. As read, every field may be missing (null); {@link SpecCheck} refuses what is
 * wrong and fills in the spec's name, and what it returns is what {@link Planner} converges to.
 *
 * <p>The spec owns the functions it names wholly: their settings, aliases, URL and the routes to
 * them are made what it says, and what it does not say is removed (an alias it does not list, a
 * URL it does not give, a route to one of its functions it does not have). Functions it does not
 * name are left alone, unless {@code --prune} is given and they carry its mark
 * ({@link #LABEL}{@code : <name>}), which {@code hearth apply} puts on every function it makes.
 *
 * @param name      what marks the functions this spec made (default: the spec file's folder name)
 * @param functions by name, in the order written
 * @param routes    HTTP routes to the spec's functions
 */
public record Spec(String name, Map<String, FunctionSpec> functions, List<RouteSpec> routes) {

    /** The label {@code hearth apply} marks a function with: the name of the spec that made it. */
    public static final String LABEL = "hearth.dev/spec";

    public Spec {
        functions = functions == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(functions));
        routes = routes == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(routes));
    }

    /**
     * One function. A source function gives {@code code} (a folder or one file, relative to the
     * spec file) and optionally {@code runtime} and {@code handler} (else detected from the code);
     * an image function gives {@code image} and {@code contract} instead. The settings are the REST
     * API's, with its defaults when left out.
     */
    public record FunctionSpec(
            String code,
            String runtime,
            String handler,
            String image,
            String contract,
            Integer memoryMb,
            Integer timeoutMs,
            Integer concurrency,
            Integer minWarm,
            String network,
            Map<String, String> env,
            String description,
            Map<String, String> labels,
            Map<String, AliasSpec> aliases,
            UrlSpec url) {

        public FunctionSpec {
            env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
            labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
            aliases = aliases == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(aliases));
        }

        public boolean imageFunction() {
            return image != null || contract != null;
        }
    }

    /**
     * An alias: {@code version} is a version number or {@code latest} (the version this apply
     * leaves the function serving); {@code weights} sends a share of calls to one other version
     * ({@code {"4": 0.1}}, or {@code {latest: 0.1}}).
     */
    public record AliasSpec(String version, Map<String, Double> weights, String description) {

        public static final String LATEST = "latest";

        public AliasSpec {
            weights = weights == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(weights));
        }
    }

    /** The function's URL: {@code auth} ({@code none} or {@code token}), optional {@code qualifier} and {@code cors}. */
    public record UrlSpec(String auth, String qualifier, CorsSpec cors) {}

    /** A function URL's CORS settings, as the REST API takes them. */
    public record CorsSpec(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                           List<String> exposeHeaders, Integer maxAge, Boolean allowCredentials) {}

    /** A route: {@code method path} (at {@code host}, or any) to one of the spec's functions, optionally a qualifier of it. */
    public record RouteSpec(String method, String path, String function, String qualifier, String auth, String host) {

        /** What tells two routes apart for the spec: host, method and path. */
        public String key() {
            return (host == null ? "" : host + " ") + method + " " + path;
        }
    }
}
