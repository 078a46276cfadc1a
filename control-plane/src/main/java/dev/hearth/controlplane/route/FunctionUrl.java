package dev.hearth.controlplane.route;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * A function's URL: {@code /fn/<id>/}, any method and any path under it reaching the function
 * (the version {@code qualifier} resolves to, or the serving one). The id is random, drawn once,
 * and stays the function's for as long as it has a URL.
 *
 * @param cors null when the URL has no CORS settings (preflights then reach the function)
 */
public record FunctionUrl(String id, String functionId, String owner, String function, Access auth, String qualifier,
                          Cors cors, Instant createdAt) {

    public FunctionUrl {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    static final String PREFIX = "/fn/";

    Document toDocument() {
        return new Document("_id", id).append("functionId", functionId).append("owner", owner).append("function", function)
                .append("auth", auth.id()).append("qualifier", qualifier)
                .append("cors", cors == null ? null : cors.toDocument())
                .append("createdAt", java.util.Date.from(createdAt));
    }

    static FunctionUrl fromDocument(Document d) {
        return new FunctionUrl(d.getString("_id"), d.getString("functionId"), d.getString("owner"), d.getString("function"),
                Access.of(d.getString("auth")), d.getString("qualifier"), Cors.fromDocument(d.get("cors", Document.class)),
                d.getDate("createdAt").toInstant());
    }

    /** What the owner sees, with the URL as the caller reached this server ({@code base}: scheme and host). */
    Map<String, Object> view(String base) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", base + PREFIX + id + "/");
        view.put("function", function);
        view.put("auth", auth.id());
        if (qualifier != null) {
            view.put("qualifier", qualifier);
        }
        if (cors != null) {
            view.put("cors", cors.view());
        }
        view.put("createdAt", createdAt.toString());
        return view;
    }
}
