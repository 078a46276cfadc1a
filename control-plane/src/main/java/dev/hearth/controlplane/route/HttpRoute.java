package dev.hearth.controlplane.route;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * A route: requests of {@code method} (or any, {@code ANY}) on a path matching {@code path}, at
 * {@code host} or any host (null), reach the owner's function (the version {@code qualifier}
 * resolves to, or the serving one).
 */
public record HttpRoute(String id, String owner, String method, String path, String host, String function,
                        String functionId, String qualifier, Access auth, Instant createdAt) {

    public HttpRoute {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** What makes two routes the same, whoever owns them: host, method and the path's shape (parameter names aside). */
    static String key(String host, String method, RoutePattern pattern) {
        return (host == null ? "*" : host.toLowerCase(Locale.ROOT)) + " " + method + " " + pattern.normalized();
    }

    /** The route key as the 2.0 event names it: {@code GET /hello/{name}}, or {@code ANY ...}. */
    String routeKey() {
        return method + " " + path;
    }

    Document toDocument(String key) {
        return new Document("_id", id).append("owner", owner).append("method", method).append("path", path)
                .append("host", host).append("function", function).append("functionId", functionId)
                .append("qualifier", qualifier).append("auth", auth.id()).append("key", key)
                .append("createdAt", java.util.Date.from(createdAt));
    }

    static HttpRoute fromDocument(Document d) {
        return new HttpRoute(d.getString("_id"), d.getString("owner"), d.getString("method"), d.getString("path"),
                d.getString("host"), d.getString("function"), d.getString("functionId"), d.getString("qualifier"),
                Access.of(d.getString("auth")), d.getDate("createdAt").toInstant());
    }

    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("method", method);
        view.put("path", path);
        if (host != null) {
            view.put("host", host);
        }
        view.put("function", function);
        if (qualifier != null) {
            view.put("qualifier", qualifier);
        }
        view.put("auth", auth.id());
        view.put("createdAt", createdAt.toString());
        return view;
    }
}
