package dev.hearth.poolmanager.image;

import dev.hearth.poolmanager.net.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registry as an image reference names it: a host (a DNS name, an IPv4 literal, or an IPv6
 * literal in brackets) and an optional port. Hosts are compared lowercased, as DNS does; Docker
 * Hub's names ({@code docker.io}, {@code index.docker.io}, {@code registry-1.docker.io}) are one
 * registry, {@link #HUB}. A port is part of the identity: {@code host} and {@code host:443} differ.
 *
 * @param host the host, lowercased, without brackets
 * @param port the port, or 0 when none is written
 */
public record Registry(String host, int port) {

    public static final Registry HUB = new Registry("docker.io", 0);
    /** The host Docker Hub's registry API is actually served from; what the daemon dials for {@link #HUB}. */
    static final String HUB_ENDPOINT = "registry-1.docker.io";

    private static final String DOMAIN_COMPONENT = "(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*");
    private static final Pattern IPV6 = Pattern.compile("[a-f0-9:]+");
    /** A last label of digits only, or hex: something resolvers may read as a number, not a name. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?:[0-9]+|0x[0-9a-f]*)");

    public Registry {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Reads {@code host[:port]} or {@code [ipv6][:port]}.
     *
     * @throws IllegalArgumentException not a registry as Docker's reference grammar writes one, or a
     *         numeric host that is not a plain dotted quad ({@code 127.1}, {@code 0x7f.0.0.1},
     *         {@code 2130706433}: resolvers disagree on what those mean)
     */
    public static Registry parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String host;
        String rest;
        if (lower.startsWith("[")) {
            int close = lower.indexOf(']');
            if (close < 0 || !IPV6.matcher(lower.substring(1, close)).matches()) {
                throw new IllegalArgumentException("not an IPv6 address in brackets: " + text);
            }
            host = lower.substring(1, close);
            rest = lower.substring(close + 1);
            ipv6Literal(host); // refuses what only looks like one
        } else {
            int colon = lower.indexOf(':');
            host = colon < 0 ? lower : lower.substring(0, colon);
            rest = colon < 0 ? "" : lower.substring(colon);
            if (!DOMAIN.matcher(host).matches()) {
                throw new IllegalArgumentException("not a registry host name: " + text);
            }
            String last = host.substring(host.lastIndexOf('.') + 1);
            if (NUMERIC_LABEL.matcher(last).matches() && Addresses.ipv4Literal(host) == null) {
                throw new IllegalArgumentException("a numeric registry host must be a plain dotted quad: " + text);
            }
        }
        int port = 0;
        if (!rest.isEmpty()) {
            if (!rest.matches(":[0-9]{1,5}")) {
                throw new IllegalArgumentException("not a registry port: " + text);
            }
            port = Integer.parseInt(rest.substring(1));
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("registry port out of range: " + text);
            }
        }
        if (port == 0 && (host.equals("docker.io") || host.equals("index.docker.io") || host.equals(HUB_ENDPOINT))) {
            return HUB;
        }
        return new Registry(host, port);
    }

    /** Whether the host is an IPv6 literal (it was written in brackets). */
    public boolean ipv6() {
        return host.indexOf(':') >= 0;
    }

    /** The address the host is written as, or null when it is a name to resolve. No lookup is made. */
    public InetAddress literal() {
        return ipv6() ? ipv6Literal(host) : Addresses.ipv4Literal(host);
    }

    private static InetAddress ipv6Literal(String host) {
        try {
            // Brackets make the JDK take the text as an IPv6 literal or refuse it, never look it up.
            return InetAddress.getByName("[" + host + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: [" + host + "]");
        }
    }

    /** The name the Docker daemon looks up to reach this registry. */
    String dialHost() {
        return equals(HUB) ? HUB_ENDPOINT : host;
    }

    /** As an image reference writes it. */
    @Override
    public String toString() {
        String name = ipv6() ? "[" + host + "]" : host;
        return port == 0 ? name : name + ":" + port;
    }
}
