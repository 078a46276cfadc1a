package dev.hearth.poolmanager.image;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Docker image reference, {@code [registry[:port]/]path[:tag][@sha256:digest]}, read as the
 * Docker daemon reads it (distribution's reference grammar and its {@code splitDockerDomain}
 * rule), so the registry found here is the registry the daemon would contact: the first path
 * component names a registry when it contains '.' or ':', is {@code localhost}, or has an upper
 * case letter (repository paths are lowercase, so {@code INTERNAL/app} names the host
 * {@code INTERNAL}); otherwise the registry is Docker Hub.
 *
 * @param text     the reference as written
 * @param registry the registry it is pulled from
 */
public record ImageReference(String text, Registry registry) {

    /** Docker's limit on a repository name with its registry. */
    static final int MAX_NAME = 255;
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    public ImageReference {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(registry, "registry");
    }

    /**
     * Reads a reference.
     *
     * @throws IllegalArgumentException {@code text} is not a reference (the message says why)
     */
    public static ImageReference parse(String text) {
        Objects.requireNonNull(text, "text");
        String name = text;
        int at = name.indexOf('@');
        if (at >= 0) {
            if (!DIGEST.matcher(name.substring(at + 1)).matches()) {
                throw new IllegalArgumentException("a digest must be sha256: and 64 hex digits");
            }
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/') && colon > name.lastIndexOf(']')) {
            if (!TAG.matcher(name.substring(colon + 1)).matches()) {
                throw new IllegalArgumentException("a tag is 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
            }
            name = name.substring(0, colon);
        }
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("a repository name is 1-" + MAX_NAME + " characters");
        }
        Registry registry = Registry.HUB;
        String path = name;
        int slash = name.indexOf('/');
        if (slash >= 0 && namesRegistry(name.substring(0, slash))) {
            registry = Registry.parse(name.substring(0, slash));
            path = name.substring(slash + 1);
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("a path component is lowercase letters and digits, joined by '.', '_', '__' or '-'");
            }
        }
        return new ImageReference(text, registry);
    }

    /** Docker's rule for whether a reference's first component is a registry rather than part of the path. */
    private static boolean namesRegistry(String first) {
        return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return text;
    }
}
