package dev.hearth.poolmanager.image;

import dev.hearth.poolmanager.net.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, before any pull, whether a registry may be contacted for an image. The list comes
 * first and is decided on the reference alone: a registry not listed is never resolved, let alone
 * contacted. A listed one must then be at public addresses only (unless private ones are
 * allowed): a literal is judged as written, a name by every address the resolver gives. The
 * Docker daemon resolves the name again when it pulls, so an answer that changes in between
 * (DNS rebinding) is not caught here; the list is the control that holds, this check keeps an
 * operator's mistake or a listed name that points inward from becoming a path to the host's
 * own services.
 */
public final class RegistryGuard {

    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why an image's registry may not be contacted. */
    public enum Reason {
        PULLING_DISABLED("this node pulls no images (HEARTH_REGISTRIES is none)"),
        NOT_LISTED("its registry %s is not one this node may pull from (HEARTH_REGISTRIES)"),
        PRIVATE_ADDRESS("its registry %s is at a loopback, private or link-local address"),
        UNRESOLVED("its registry %s cannot be found");

        private final String words;

        Reason(String words) {
            this.words = words;
        }
    }

    /**
     * A refusal.
     *
     * @param detail for the server's log only: what the decision rested on (a resolved address)
     */
    public record Refusal(Reason reason, ImageReference image, String detail) {
        public Refusal {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(image, "image");
        }

        /** Hearth's own words for the caller: which image, and why it is not pulled. */
        public String message() {
            return "the image '" + image + "' is not on this node, and " + String.format(reason.words, image.registry());
        }
    }

    private final Registries registries;
    private final Resolver resolver;

    public RegistryGuard(Registries registries, Resolver resolver) {
        this.registries = Objects.requireNonNull(registries, "registries");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Why {@code image} may not be pulled, or empty when its registry may be contacted. */
    public Optional<Refusal> check(ImageReference image) {
        Registry registry = image.registry();
        if (registries.pullingDisabled()) {
            return refuse(Reason.PULLING_DISABLED, image, null);
        }
        if (!registries.allows(registry)) {
            return refuse(Reason.NOT_LISTED, image, null);
        }
        if (registries.allowPrivate()) {
            return Optional.empty();
        }
        InetAddress literal = registry.literal();
        if (literal != null) {
            return Addresses.isInternal(literal) ? refuse(Reason.PRIVATE_ADDRESS, image, literal.getHostAddress()) : Optional.empty();
        }
        String host = registry.dialHost();
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return refuse(Reason.PRIVATE_ADDRESS, image, "a localhost name (RFC 6761)");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return refuse(Reason.UNRESOLVED, image, e.getMessage());
        }
        if (addresses == null || addresses.length == 0) {
            return refuse(Reason.UNRESOLVED, image, "no addresses");
        }
        InetAddress internal = Addresses.firstInternal(addresses);
        if (internal != null) {
            return refuse(Reason.PRIVATE_ADDRESS, image, host + " resolves to " + Arrays.stream(addresses)
                    .map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(Reason reason, ImageReference image, String detail) {
        return Optional.of(new Refusal(reason, image, detail));
    }
}
