package dev.hearth.controlplane.function;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * A named pointer at one version of a function, with optionally a share of calls sent to one
 * other version (Lambda's routing configuration): with {@code version} 1 and {@code extraVersion}
 * 2 at {@code extraWeight} 0.1, each call runs version 2 with probability 0.1, else version 1.
 *
 * @param extraVersion the second version calls may go to, or 0 for none
 * @param extraWeight  the share of calls that run {@code extraVersion}, in (0, 1); 0 without one
 */
public record Alias(String name, long version, long extraVersion, double extraWeight, String description, Instant updatedAt) {

    public Alias {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if ((extraVersion == 0) != (extraWeight == 0)) {
            throw new IllegalArgumentException("an extra version needs a weight, and a weight an extra version");
        }
    }

    /** The version a call runs, given {@code draw}, uniform in [0, 1). */
    public long pick(double draw) {
        return extraVersion != 0 && draw < extraWeight ? extraVersion : version;
    }

    /** The versions calls on this alias may run. */
    List<Long> versions() {
        return extraVersion == 0 ? List.of(version) : List.of(version, extraVersion);
    }

    boolean routesTo(long v) {
        return version == v || extraVersion == v;
    }

    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("version", version);
        view.put("weights", extraVersion == 0 ? Map.of() : Map.of(Long.toString(extraVersion), extraWeight));
        if (description != null) {
            view.put("description", description);
        }
        view.put("updatedAt", updatedAt.toString());
        return view;
    }

    Document toDocument() {
        return new Document("version", version)
                .append("extraVersion", extraVersion)
                .append("extraWeight", extraWeight)
                .append("description", description)
                .append("updatedAt", java.util.Date.from(updatedAt));
    }

    static Alias fromDocument(String name, Document d) {
        return new Alias(name, d.get("version", Number.class).longValue(), d.get("extraVersion", Number.class).longValue(),
                d.get("extraWeight", Number.class).doubleValue(), d.getString("description"), d.getDate("updatedAt").toInstant());
    }
}
