package dev.hearth.cli.spec;

import dev.hearth.cli.CliException;
import dev.hearth.cli.spec.Spec.AliasSpec;
import dev.hearth.cli.spec.Spec.CorsSpec;
import dev.hearth.cli.spec.Spec.FunctionSpec;
import dev.hearth.cli.spec.Spec.RouteSpec;
import dev.hearth.cli.spec.Spec.UrlSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a spec as bound from YAML against what Hearth would take (the README's rules and
 * bounds), so that {@code --dry-run} already catches what the server would refuse, and says where:
 * each refusal names the field's path and line. Returns the spec normalised (methods upper-case,
 * hosts lower-case, the default name filled in).
 */
final class SpecCheck {

    static final Pattern SPEC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern ALIAS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9./-]{0,62}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
    private static final Set<String> AUTH = Set.of("none", "token");
    private static final int MAX_DESCRIPTION = 256;
    private static final int MAX_LABELS = 16;

    private final String shown;
    private final Map<String, Integer> lines;

    SpecCheck(String shown, Map<String, Integer> lines) {
        this.shown = shown;
        this.lines = lines;
    }

    Spec check(Spec raw, String folderName) {
        String name = raw.name() != null ? raw.name() : defaultName(folderName);
        if (!SPEC_NAME.matcher(name).matches()) {
            throw fail("name", "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
                    + SpecReader.clip(name) + "'");
        }
        if (raw.functions() == null) {
            throw CliException.usage(shown + ": 'functions' is required: the functions the spec declares, by name");
        }
        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        raw.functions().forEach((function, spec) -> functions.put(function, function(function, spec)));
        List<RouteSpec> routes = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < raw.routes().size(); i++) {
            RouteSpec route = route("routes[" + i + "]", raw.routes().get(i), functions);
            if (!keys.add(route.key())) {
                throw fail("routes[" + i + "]", "repeats the route " + route.key());
            }
            routes.add(route);
        }
        return new Spec(name, functions, routes);
    }

    /** The spec file's folder's name, made a valid spec name; none when the folder has no usable name. */
    private String defaultName(String folderName) {
        String cleaned = folderName == null ? "" : folderName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        cleaned = cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
        if (cleaned.isEmpty()) {
            throw CliException.usage(shown + ": give the spec a 'name' (its folder's name cannot be one)");
        }
        return cleaned;
    }

    private FunctionSpec function(String name, FunctionSpec f) {
        String at = "functions." + name;
        if (!FUNCTION_NAME.matcher(name).matches()) {
            throw fail(at, "is not a function name: 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (f == null) {
            throw fail(at, "needs 'code' (a folder or file) or 'image' and 'contract'");
        }
        if (f.imageFunction()) {
            if (f.code() != null || f.runtime() != null || f.handler() != null) {
                throw fail(at, "is an image function: it takes 'image' and 'contract', not 'code', 'runtime' or 'handler'");
            }
            if (f.image() == null || f.image().isBlank()) {
                throw fail(at + ".contract", "needs 'image' beside it: the Docker image to run");
            }
            if (f.contract() == null || !Set.of("exec", "http").contains(f.contract())) {
                throw fail(f.contract() == null ? at + ".image" : at + ".contract",
                        "needs 'contract: exec' (a container per call) or 'contract: http' (a server kept warm)"
                                + (f.contract() == null ? "" : ", got '" + SpecReader.clip(f.contract()) + "'"));
            }
            if ("exec".equals(f.contract()) && f.minWarm() != null && f.minWarm() > 0) {
                throw fail(at + ".minWarm", "cannot be set for an 'exec' image: it runs one container per call");
            }
        } else if (f.code() == null || f.code().isBlank()) {
            throw fail(at, "needs 'code' (a folder or file, relative to the spec) or 'image' and 'contract'");
        }
        range(at + ".memoryMb", f.memoryMb(), 64, 4096);
        range(at + ".timeoutMs", f.timeoutMs(), 100, 900_000);
        range(at + ".concurrency", f.concurrency(), 1, 1000);
        range(at + ".minWarm", f.minWarm(), 0, 10);
        if (f.network() != null && !Set.of("none", "egress").contains(f.network())) {
            throw fail(at + ".network", "must be 'none' (the default) or 'egress', got '" + SpecReader.clip(f.network()) + "'");
        }
        if (f.description() != null && f.description().length() > MAX_DESCRIPTION) {
            throw fail(at + ".description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        f.env().forEach((key, value) -> {
            if (!ENV_KEY.matcher(key).matches()) {
                throw fail(at + ".env." + key, "is not an environment variable name: letters, digits and '_', not starting with a digit");
            }
            if (value == null) {
                throw fail(at + ".env." + key, "needs a value ('' for an empty one)");
            }
        });
        labels(at + ".labels", f.labels());
        f.aliases().forEach((alias, spec) -> alias(at + ".aliases." + alias, alias, spec));
        UrlSpec url = f.url() == null ? null : url(at + ".url", f.url(), f.aliases().keySet());
        return new FunctionSpec(f.code(), f.runtime(), f.handler(), f.image(), f.contract(), f.memoryMb(), f.timeoutMs(),
                f.concurrency(), f.minWarm(), f.network(), f.env(), f.description(), f.labels(), f.aliases(), url);
    }

    private void labels(String at, Map<String, String> labels) {
        if (labels.size() > MAX_LABELS - 1) {
            throw fail(at, "may hold " + (MAX_LABELS - 1) + " labels at most (Hearth keeps 16 and apply sets " + Spec.LABEL + ")");
        }
        labels.forEach((key, value) -> {
            if (key.equals(Spec.LABEL)) {
                throw fail(at + "." + key, "is set by hearth apply itself (the spec's name)");
            }
            if (!LABEL_KEY.matcher(key).matches()) {
                throw fail(at + "." + key, "is not a label key: 1-63 lower-case letters, digits, '.', '/' or '-', starting with a letter or digit");
            }
            if (value == null || value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
                throw fail(at + "." + key, "must be printable text of at most 256 characters");
            }
        });
    }

    private void alias(String at, String name, AliasSpec alias) {
        if (!ALIAS_NAME.matcher(name).matches() || name.chars().allMatch(Character::isDigit)) {
            throw fail(at, "is not an alias name: 1-128 letters, digits, '-' and '_', not all digits");
        }
        if (alias == null || alias.version() == null) {
            throw fail(at, "needs a version: a version number, or 'latest'");
        }
        checkVersion(at + ".version", alias.version());
        if (alias.weights().size() > 1) {
            throw fail(at + ".weights", "may name one other version at most");
        }
        alias.weights().forEach((version, weight) -> {
            checkVersion(at + ".weights", version);
            if (version.equals(alias.version())) {
                throw fail(at + ".weights", "must name a version other than the alias's own (" + version + ")");
            }
            if (weight == null || !(weight > 0 && weight < 1)) {
                throw fail(at + ".weights", "must be above 0 and below 1, got " + weight);
            }
        });
        if (alias.description() != null && alias.description().length() > MAX_DESCRIPTION) {
            throw fail(at + ".description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
    }

    private void checkVersion(String at, String version) {
        if (!version.equals(AliasSpec.LATEST) && !DIGITS.matcher(version).matches()) {
            throw fail(at, "must be a version number (1 or more) or 'latest', got '" + SpecReader.clip(version) + "'");
        }
    }

    private UrlSpec url(String at, UrlSpec url, Set<String> aliases) {
        auth(at, url.auth());
        qualifier(at + ".qualifier", url.qualifier(), aliases);
        CorsSpec cors = url.cors();
        if (cors == null) {
            return url;
        }
        if (cors.maxAge() != null && (cors.maxAge() < 0 || cors.maxAge() > 86_400)) {
            throw fail(at + ".cors.maxAge", "must be 0 to 86400 seconds, got " + cors.maxAge());
        }
        List<String> origins = lower(cors.allowOrigins());
        if (Boolean.TRUE.equals(cors.allowCredentials()) && origins.contains("*")) {
            throw fail(at + ".cors.allowCredentials", "cannot be true with the origin '*': list the origins instead");
        }
        List<String> methods = cors.allowMethods() == null ? List.of()
                : cors.allowMethods().stream().map(m -> m == null ? "" : m.toUpperCase(Locale.ROOT)).toList();
        return new UrlSpec(url.auth(), url.qualifier(), new CorsSpec(origins, methods, lower(cors.allowHeaders()),
                lower(cors.exposeHeaders()), cors.maxAge() == null ? 0 : cors.maxAge(), Boolean.TRUE.equals(cors.allowCredentials())));
    }

    private static List<String> lower(List<String> items) {
        return items == null ? List.of() : items.stream().map(i -> i == null ? "" : i.toLowerCase(Locale.ROOT)).toList();
    }

    private RouteSpec route(String at, RouteSpec route, Map<String, FunctionSpec> functions) {
        if (route == null) {
            throw fail(at, "needs method, path, function and auth");
        }
        String method = route.method() == null ? null : route.method().toUpperCase(Locale.ROOT);
        if (method == null || !METHODS.contains(method)) {
            throw fail(at + (route.method() == null ? "" : ".method"), "needs a method: one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY"
                    + (route.method() == null ? "" : ", got '" + SpecReader.clip(route.method()) + "'"));
        }
        if (route.path() == null || !route.path().startsWith("/")) {
            throw fail(at + (route.path() == null ? "" : ".path"), "needs a path starting with '/', such as /hello/{name}");
        }
        if (route.function() == null) {
            throw fail(at, "needs 'function': one of the spec's functions");
        }
        FunctionSpec function = functions.get(route.function());
        if (function == null) {
            throw fail(at + ".function", "names '" + SpecReader.clip(route.function()) + "', which the spec does not declare"
                    + " (a spec routes to its own functions)");
        }
        auth(at, route.auth());
        qualifier(at + ".qualifier", route.qualifier(), function.aliases().keySet());
        String host = route.host() == null ? null : route.host().toLowerCase(Locale.ROOT);
        return new RouteSpec(method, route.path(), route.function(), route.qualifier(), route.auth(), host);
    }

    private void auth(String at, String auth) {
        if (auth == null || !AUTH.contains(auth)) {
            throw fail(auth == null ? at : at + ".auth", "needs 'auth: none' (public) or 'auth: token' (the owner's bearer token)"
                    + (auth == null ? "" : ", got '" + SpecReader.clip(auth) + "'"));
        }
    }

    /** A qualifier is a version number, {@code $LATEST}, or one of the function's aliases in the spec (which owns them all). */
    private void qualifier(String at, String qualifier, Set<String> aliases) {
        if (qualifier == null || qualifier.equals("$LATEST") || DIGITS.matcher(qualifier).matches() || aliases.contains(qualifier)) {
            return;
        }
        throw fail(at, "names '" + SpecReader.clip(qualifier) + "', which is not a version number, $LATEST or one of the function's aliases in the spec"
                + (aliases.isEmpty() ? "" : " (" + String.join(", ", aliases) + ")"));
    }

    private void range(String at, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw fail(at, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** A refusal naming the field and its line. */
    CliException fail(String path, String message) {
        Integer line = lines.get(path);
        return CliException.usage(shown + ": " + path + " " + message + (line == null ? "" : " (line " + line + ")"));
    }
}
