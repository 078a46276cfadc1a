package dev.hearth.poolmanager.docker;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The network builders and {@code "network": "egress"} functions join instead of Docker's
 * default bridge: a user-defined bridge Hearth creates, with inter-container traffic off and
 * the host's own services out of reach (see {@link EgressNetwork}).
 *
 * @param network  the Docker network's name
 * @param bridge   the host's interface name for it (the firewall rules match on it); Linux allows 15 characters
 * @param firewall who installs the host firewall rules
 */
public record EgressSettings(String network, String bridge, Firewall firewall) {

    private static final Pattern NETWORK = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final Pattern BRIDGE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}");

    /** Who keeps the host's rules for the network. */
    public enum Firewall {
        /** This process, at start: it must share the host's network namespace. */
        HOST,
        /** Someone else (deploy/compose.yaml's one-shot service, the operator): this process only checks the network. */
        EXTERNAL;

        public static Firewall parse(String value) {
            return switch (value) {
                case "host" -> HOST;
                case "external" -> EXTERNAL;
                default -> throw new IllegalArgumentException("HEARTH_EGRESS_FIREWALL must be 'host' or 'external', got '" + value + "'");
            };
        }
    }

    public EgressSettings {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(firewall, "firewall");
        if (!NETWORK.matcher(network).matches() || network.equals("bridge") || network.equals("host") || network.equals("none")) {
            throw new IllegalArgumentException("egress network name must be 1-63 letters, digits, '.', '_' or '-',"
                    + " and not one of Docker's own networks: " + network);
        }
        if (!BRIDGE.matcher(bridge).matches()) {
            throw new IllegalArgumentException("egress bridge interface name must be 1-15 letters, digits, '.', '_' or '-': " + bridge);
        }
    }

    /** The same network, with the rules kept by this process. */
    public EgressSettings withFirewall(Firewall mode) {
        return new EgressSettings(network, bridge, mode);
    }
}
