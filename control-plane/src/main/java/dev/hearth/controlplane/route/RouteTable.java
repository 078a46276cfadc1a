package dev.hearth.controlplane.route;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of routes, matched by a walk down a trie of segments: the cost of a
 * match grows with the request's path, not with the number of routes.
 *
 * <p>Precedence: a route for the request's host wins over a host-less one (host compared
 * case-insensitively, the port and a trailing dot stripped). Within a host, the most specific path wins, segment by
 * segment from the left: a literal over a parameter over a greedy parameter; when the more
 * specific branch has no route for the rest of the path (or for the method), the walk backs up
 * and tries the next. So for {@code /a/b/c}, {@code /a/b/{y}} wins over {@code /a/{x}/c} (the
 * literal {@code b} is tried first and leads to a route), and {@code /a/b/d} reaches
 * {@code /a/{x}/d} when {@code /a/b/c} is the only route under {@code /a/b}. The leftmost
 * difference decides: for {@code /a/b/c/d/f}, {@code /a/b/c/{rest+}} wins over
 * {@code /a/b/{p}/d/f}. A method that has no route at a pattern backs up the same way. At one pattern,
 * the exact method wins, then (for {@code HEAD}) {@code GET}, then {@code ANY}. A trie node
 * sits at one depth and is entered at most once per walk.
 *
 * <p>A request path that does not start with {@code /}, has an empty segment, a {@code .} or
 * {@code ..} segment (also as {@code %2E}), a malformed escape, or lies under a reserved prefix
 * never matches.
 */
public final class RouteTable<T> {

    /**
     * One route.
     *
     * @param host   the host it serves, or null for any host (kept as {@link #hostKey})
     * @param method one of {@link RoutePattern#METHODS} (kept upper-case)
     */
    public record Entry<T>(String host, String method, RoutePattern pattern, T value) {
        public Entry {
            host = hostKey(host);
            method = RoutePattern.checkMethod(method);
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(value, "value");
        }

        /** The API Gateway route key, e.g. {@code GET /hello/{name}}. */
        public String routeKey() {
            return method + " " + pattern.path();
        }
    }

    /**
     * A request's route and its path parameters: decoded per segment; a greedy parameter holds
     * the rest of the path, decoded, without its leading {@code /}. Ordered as in the pattern.
     */
    public record Match<T>(Entry<T> entry, Map<String, String> pathParameters) {
        public T value() {
            return entry.value();
        }
    }

    private static final RouteTable<?> EMPTY = new RouteTable<>(List.of());

    private final Map<String, Node<T>> byHost;
    private final Node<T> anyHost;
    private final int size;

    private RouteTable(List<Entry<T>> entries) {
        Map<String, Node<T>> hosts = new HashMap<>();
        Node<T> any = new Node<>();
        for (Entry<T> entry : entries) {
            Node<T> root = entry.host() == null ? any : hosts.computeIfAbsent(entry.host(), h -> new Node<>());
            root.add(entry);
        }
        this.byHost = hosts;
        this.anyHost = any;
        this.size = entries.size();
    }

    /** The table of {@code entries}; an {@link IllegalArgumentException} when two have one host, method and shape. */
    public static <T> RouteTable<T> of(List<Entry<T>> entries) {
        return new RouteTable<>(List.copyOf(entries));
    }

    @SuppressWarnings("unchecked")
    public static <T> RouteTable<T> empty() {
        return (RouteTable<T>) EMPTY;
    }

    public int size() {
        return size;
    }

    /**
     * The route for a request.
     *
     * @param host    the request's {@code Host}, or null
     * @param method  the request's method, as sent
     * @param rawPath the request's path, still percent-encoded, without the query
     */
    public Optional<Match<T>> match(String host, String method, String rawPath) {
        RequestPath path = RequestPath.of(rawPath);
        if (path == null) {
            return Optional.empty();
        }
        String key = hostKey(host);
        Node<T> hostRoot = key == null ? null : byHost.get(key);
        Entry<T> entry = hostRoot == null ? null : hostRoot.walk(path.decoded(), 0, method);
        if (entry == null) {
            entry = anyHost.walk(path.decoded(), 0, method);
        }
        return entry == null ? Optional.empty() : Optional.of(new Match<>(entry, parameters(entry.pattern(), path)));
    }

    private static Map<String, String> parameters(RoutePattern pattern, RequestPath path) {
        List<RoutePattern.Segment> segments = pattern.segments();
        Map<String, String> parameters = null;
        for (int i = 0; i < segments.size(); i++) {
            RoutePattern.Segment segment = segments.get(i);
            if (segment.kind() == RoutePattern.Kind.LITERAL) {
                continue;
            }
            if (parameters == null) {
                parameters = new LinkedHashMap<>();
            }
            parameters.put(segment.value(), segment.kind() == RoutePattern.Kind.PARAM ? path.decoded()[i] : path.rest(i));
        }
        return parameters == null ? Map.of() : Collections.unmodifiableMap(parameters);
    }

    /** The host a route is kept under: lower-case, without its port or a DNS name's trailing dot; null for null or blank. */
    public static String hostKey(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String key = host.strip().toLowerCase(Locale.ROOT);
        int colon = key.startsWith("[") ? key.indexOf(']') + 1 : key.indexOf(':');
        key = colon > 0 && colon < key.length() ? key.substring(0, colon) : key;
        key = key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
        return key.isEmpty() ? null : key;
    }

    /** Routes below one prefix of segments. Built in the table's constructor, read-only after. */
    private static final class Node<T> {
        private final Map<String, Node<T>> literals = new HashMap<>();
        private Node<T> parameter;
        /** Routes whose pattern ends here, by method. */
        private final Map<String, Entry<T>> here = new HashMap<>(2);
        /** Routes whose greedy parameter starts here, by method. */
        private final Map<String, Entry<T>> greedy = new HashMap<>(2);

        void add(Entry<T> entry) {
            Node<T> node = this;
            for (RoutePattern.Segment segment : entry.pattern().segments()) {
                switch (segment.kind()) {
                    case LITERAL -> node = node.literals.computeIfAbsent(segment.value(), s -> new Node<>());
                    case PARAM -> node = node.parameter == null ? (node.parameter = new Node<>()) : node.parameter;
                    case GREEDY -> {
                        node.put(node.greedy, entry);
                        return;
                    }
                }
            }
            node.put(node.here, entry);
        }

        private void put(Map<String, Entry<T>> byMethod, Entry<T> entry) {
            Entry<T> before = byMethod.putIfAbsent(entry.method(), entry);
            if (before != null) {
                throw new IllegalArgumentException("two routes with one host, method and shape: "
                        + before.routeKey() + " and " + entry.routeKey());
            }
        }

        Entry<T> walk(String[] segments, int index, String method) {
            if (index == segments.length) {
                return pick(here, method);
            }
            Node<T> literal = literals.get(segments[index]);
            Entry<T> found = literal == null ? null : literal.walk(segments, index + 1, method);
            if (found == null && parameter != null) {
                found = parameter.walk(segments, index + 1, method);
            }
            return found != null ? found : pick(greedy, method);
        }

        private static <T> Entry<T> pick(Map<String, Entry<T>> byMethod, String method) {
            if (byMethod.isEmpty()) {
                return null;
            }
            Entry<T> entry = byMethod.get(method);
            if (entry == null && "HEAD".equals(method)) {
                entry = byMethod.get("GET");
            }
            return entry != null ? entry : byMethod.get("ANY");
        }
    }
}
