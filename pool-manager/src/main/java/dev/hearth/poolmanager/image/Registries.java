package dev.hearth.poolmanager.image;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where this node may pull images from ({@code HEARTH_REGISTRIES}, {@code HEARTH_PRIVATE_REGISTRIES}).
 *
 * @param allowed      the registries images may be pulled from; empty: no pulls at all
 * @param allowPrivate whether a listed registry may be at a loopback, private or link-local
 *                     address, for operators with an internal registry
 */
public record Registries(Set<Registry> allowed, boolean allowPrivate) {

    /** Docker Hub only. */
    public static final String DEFAULT = "docker.io";

    public Registries {
        allowed = Set.copyOf(allowed);
    }

    /**
     * Reads a comma-separated list of {@code host[:port]} entries; empty or {@code none} allows no
     * registry.
     *
     * @throws IllegalArgumentException an entry is not a registry host (the message names it)
     */
    public static Registries parse(String list, boolean allowPrivate) {
        Objects.requireNonNull(list, "list");
        String trimmed = list.strip();
        Set<Registry> allowed = new LinkedHashSet<>();
        if (!trimmed.isEmpty() && !trimmed.toLowerCase(Locale.ROOT).equals("none")) {
            for (String entry : trimmed.split(",", -1)) {
                String host = entry.strip();
                if (host.equalsIgnoreCase("none")) {
                    throw new IllegalArgumentException("HEARTH_REGISTRIES: 'none' stands alone, not in a list");
                }
                try {
                    allowed.add(Registry.parse(host));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("HEARTH_REGISTRIES: '" + host
                            + "' is not a registry host[:port] such as registry.example.com:5000 (" + e.getMessage() + ")");
                }
            }
        }
        return new Registries(allowed, allowPrivate);
    }

    public boolean pullingDisabled() {
        return allowed.isEmpty();
    }

    public boolean allows(Registry registry) {
        return allowed.contains(registry);
    }
}
