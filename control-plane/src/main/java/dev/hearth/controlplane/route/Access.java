package dev.hearth.controlplane.route;

import dev.hearth.controlplane.http.ApiException;
import java.util.Locale;

/** Who may call a route or a function URL: anyone ({@code none}), or its owner with a bearer token ({@code token}). */
public enum Access {
    NONE, TOKEN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code none} or {@code token}; 400 for anything else. */
    static Access of(String given) {
        if (given == null) {
            throw ApiException.badRequest("auth is required: \"none\" (public) or \"token\" (the owner's bearer token)");
        }
        return switch (given) {
            case "none" -> NONE;
            case "token" -> TOKEN;
            default -> throw ApiException.badRequest("auth must be \"none\" or \"token\", got '"
                    + (given.length() > 40 ? given.substring(0, 40) + "…" : given) + "'");
        };
    }
}
