package dev.hearth.controlplane.route;

import dev.hearth.controlplane.http.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * A function URL's CORS settings, as Lambda's: which origins, methods and headers a browser may
 * use, which response headers it may read, how long it may cache a preflight, and whether it may
 * send credentials. Preflights ({@code OPTIONS} with {@code Access-Control-Request-Method}) are
 * answered from these settings alone, never by the function.
 */
public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                   List<String> exposeHeaders, int maxAge, boolean allowCredentials) {

    static final int MAX_ITEMS = 100;
    static final int MAX_AGE = 86_400;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*");

    /** The body's {@code cors} object, as sent. */
    public record Request(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                          List<String> exposeHeaders, Integer maxAge, Boolean allowCredentials) {}

    /** Checks the settings and gives them in the form they are kept: 400 naming the first thing that is wrong. */
    static Cors of(Request request) {
        if (request == null) {
            return null;
        }
        List<String> origins = items("allowOrigins", request.allowOrigins());
        origins.replaceAll(Cors::origin);
        List<String> methods = items("allowMethods", request.allowMethods());
        methods.replaceAll(m -> {
            String upper = m.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                throw ApiException.badRequest("cors.allowMethods: '" + clip(m) + "' is not one of " + String.join(", ",
                        List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*")));
            }
            return upper;
        });
        List<String> headers = headerNames("allowHeaders", request.allowHeaders());
        List<String> expose = headerNames("exposeHeaders", request.exposeHeaders());
        int maxAge = request.maxAge() == null ? 0 : request.maxAge();
        if (maxAge < 0 || maxAge > MAX_AGE) {
            throw ApiException.badRequest("cors.maxAge must be 0 to " + MAX_AGE + " seconds, got " + maxAge);
        }
        boolean credentials = Boolean.TRUE.equals(request.allowCredentials());
        if (credentials && origins.contains("*")) {
            throw ApiException.badRequest("cors.allowCredentials cannot be true with the origin '*': browsers refuse it; "
                    + "list the origins instead");
        }
        return new Cors(List.copyOf(origins), List.copyOf(methods), List.copyOf(headers), List.copyOf(expose), maxAge, credentials);
    }

    private static List<String> items(String field, List<String> given) {
        List<String> items = new ArrayList<>(given == null ? List.of() : given);
        if (items.size() > MAX_ITEMS) {
            throw ApiException.badRequest("cors." + field + " may hold " + MAX_ITEMS + " items at most");
        }
        for (String item : items) {
            if (item == null || item.isEmpty()) {
                throw ApiException.badRequest("cors." + field + " may not hold an empty or null item");
            }
        }
        return items;
    }

    private static List<String> headerNames(String field, List<String> given) {
        List<String> names = items(field, given);
        names.replaceAll(name -> {
            if (!name.equals("*") && !TOKEN.matcher(name).matches()) {
                throw ApiException.badRequest("cors." + field + ": '" + clip(name) + "' is not a header name");
            }
            return name.toLowerCase(Locale.ROOT);
        });
        return names;
    }

    /** {@code *}, or {@code http(s)://host[:port]} with nothing after: what a browser sends as {@code Origin}. */
    private static String origin(String origin) {
        if (origin.equals("*")) {
            return origin;
        }
        try {
            URI uri = new URI(origin);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (web && uri.getHost() != null && bare && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && uri.getRawUserInfo() == null) {
                return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw ApiException.badRequest("cors.allowOrigins: '" + clip(origin)
                + "' is not an origin (http or https, a host, an optional port, nothing after: https://example.com)");
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }

    /** The {@code Access-Control-Allow-Origin} to send for a request from {@code origin}, or null when it is not allowed. */
    String allowedOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        if (allowOrigins.contains("*")) {
            return "*";
        }
        return allowOrigins.contains(origin.toLowerCase(Locale.ROOT)) ? origin : null;
    }

    boolean allowsMethod(String method) {
        return allowMethods.contains("*") || allowMethods.contains(method.toUpperCase(Locale.ROOT));
    }

    /** Whether every header a preflight asks for ({@code Access-Control-Request-Headers}, comma-separated) is allowed. */
    boolean allowsHeaders(String requested) {
        if (requested == null || requested.isBlank() || allowHeaders.contains("*")) {
            return true;
        }
        for (String name : requested.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty() && !allowHeaders.contains(trimmed)) {
                return false;
            }
        }
        return true;
    }

    Document toDocument() {
        return new Document("allowOrigins", allowOrigins).append("allowMethods", allowMethods)
                .append("allowHeaders", allowHeaders).append("exposeHeaders", exposeHeaders)
                .append("maxAge", maxAge).append("allowCredentials", allowCredentials);
    }

    static Cors fromDocument(Document d) {
        if (d == null) {
            return null;
        }
        return new Cors(d.getList("allowOrigins", String.class), d.getList("allowMethods", String.class),
                d.getList("allowHeaders", String.class), d.getList("exposeHeaders", String.class),
                d.getInteger("maxAge", 0), Boolean.TRUE.equals(d.getBoolean("allowCredentials")));
    }

    Map<String, Object> view() {
        return Map.of("allowOrigins", allowOrigins, "allowMethods", allowMethods, "allowHeaders", allowHeaders,
                "exposeHeaders", exposeHeaders, "maxAge", maxAge, "allowCredentials", allowCredentials);
    }
}
