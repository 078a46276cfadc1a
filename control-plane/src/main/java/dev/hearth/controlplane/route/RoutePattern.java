package dev.hearth.controlplane.route;

import dev.hearth.controlplane.http.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's path pattern: literal segments, {@code {name}} parameters (one segment each) and one
 * last greedy {@code {name+}} (one or more segments). Owns the validation of a tenant's path
 * ({@link #parse}) and of a route's method ({@link #checkMethod}), and the shape two routes are
 * compared by ({@link #normalized}).
 *
 * @param path     the path as the tenant wrote it
 * @param segments its segments; a literal's value is percent-decoded, a parameter's is its name
 */
public record RoutePattern(String path, List<Segment> segments) {

    public static final int MAX_BYTES = 1024;
    public static final int MAX_SEGMENTS = 64;
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    public enum Kind { LITERAL, PARAM, GREEDY }

    /** One segment: a literal (its decoded text) or a parameter (its name). */
    public record Segment(Kind kind, String value) {
        public Segment {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(value, "value");
        }
    }

    public RoutePattern {
        Objects.requireNonNull(path, "path");
        segments = List.copyOf(segments);
    }

    /** The pattern of {@code path}; a 400 naming the problem when it is not a valid route path. */
    public static RoutePattern parse(String path) {
        if (path == null || path.isEmpty()) {
            throw ApiException.badRequest("route path is required");
        }
        if (path.length() > MAX_BYTES) {
            throw ApiException.badRequest("route path is longer than " + MAX_BYTES + " bytes");
        }
        if (path.charAt(0) != '/') {
            throw ApiException.badRequest("route path must start with '/'");
        }
        if (path.equals("/")) {
            return new RoutePattern(path, List.of());
        }
        String[] raw = path.substring(1).split("/", -1);
        if (raw.length > MAX_SEGMENTS) {
            throw ApiException.badRequest("route path has more than " + MAX_SEGMENTS + " segments");
        }
        List<Segment> segments = new ArrayList<>(raw.length);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < raw.length; i++) {
            Segment segment = segment(raw[i]);
            if (segment.kind() != Kind.LITERAL && !names.add(segment.value())) {
                throw ApiException.badRequest("route path has two parameters named '" + segment.value() + "'");
            }
            if (segment.kind() == Kind.GREEDY && i != raw.length - 1) {
                throw ApiException.badRequest("route path's greedy parameter {" + segment.value() + "+} must be its last segment");
            }
            segments.add(segment);
        }
        if (segments.get(0).kind() == Kind.LITERAL && PathCodec.reserved(segments.get(0).value())) {
            throw ApiException.badRequest("route path is under a reserved prefix (/" + String.join(", /", PathCodec.RESERVED) + ")");
        }
        return new RoutePattern(path, segments);
    }

    private static Segment segment(String raw) {
        if (raw.isEmpty()) {
            throw ApiException.badRequest("route path has an empty segment ('//' or a trailing '/')");
        }
        if (raw.indexOf('{') >= 0 || raw.indexOf('}') >= 0) {
            if (raw.length() < 2 || raw.charAt(0) != '{' || raw.indexOf('}') != raw.length() - 1
                    || raw.indexOf('{', 1) >= 0) {
                throw ApiException.badRequest("route path segment with a '{' or '}' must be a whole {name} or {name+}");
            }
            boolean greedy = raw.endsWith("+}");
            String name = raw.substring(1, raw.length() - (greedy ? 2 : 1));
            if (!NAME.matcher(name).matches()) {
                throw ApiException.badRequest("route path parameter name must match [A-Za-z_][A-Za-z0-9_]{0,63}");
            }
            return new Segment(greedy ? Kind.GREEDY : Kind.PARAM, name);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%' && !PathCodec.isPathChar(c)) {
                throw ApiException.badRequest(String.format(
                        "route path has a character not allowed in a URL path: U+%04X (escape it as %%XX)", (int) c));
            }
        }
        String decoded = PathCodec.decode(raw);
        if (decoded == null) {
            throw ApiException.badRequest("route path has a malformed %XX escape (or escapes that are not UTF-8)");
        }
        if (decoded.equals(".") || decoded.equals("..")) {
            throw ApiException.badRequest("route path has a '.' or '..' segment");
        }
        return new Segment(Kind.LITERAL, decoded);
    }

    /**
     * The shape without parameter names, literals in their one encoding: {@code /hello/{}/x/{+}}
     * for {@code /hello/{name}/x/{rest+}}. Two routes are the same route when their host, method
     * and shape are.
     */
    public String normalized() {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder shape = new StringBuilder();
        for (Segment segment : segments) {
            shape.append('/').append(switch (segment.kind()) {
                case LITERAL -> PathCodec.encode(segment.value());
                case PARAM -> "{}";
                case GREEDY -> "{+}";
            });
        }
        return shape.toString();
    }

    /** {@code method} upper-cased when it is one of {@link #METHODS}; a 400 listing them otherwise. */
    public static String checkMethod(String method) {
        String upper = method == null ? "" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw ApiException.badRequest("route method must be one of " + String.join(", ", METHODS));
        }
        return upper;
    }
}
