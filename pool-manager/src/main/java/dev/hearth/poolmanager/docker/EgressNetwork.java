package dev.hearth.poolmanager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the network that builders and egress functions join ({@link EgressSettings}): creates it
 * when it is missing, refuses one of that name that Hearth would not have made, and has the
 * host's rules for it installed ({@link HostFirewall}). Safe to run from several Hearth processes
 * on one host at once: the fixed bridge name lets only one create succeed, and the others find it.
 */
public final class EgressNetwork {

    private static final Logger log = LoggerFactory.getLogger(EgressNetwork.class);
    static final String LABEL = "dev.hearth.network";
    static final String ICC = "com.docker.network.bridge.enable_icc";
    static final String BRIDGE_NAME = "com.docker.network.bridge.name";

    private EgressNetwork() {}

    /** Makes sure the network exists as Hearth makes it and, unless they are kept elsewhere, its host rules. */
    public static void ensure(DockerEngine engine, EgressSettings settings) {
        ensure(engine.client(), settings, HostFirewall.system());
    }

    static void ensure(DockerClient docker, EgressSettings settings, HostFirewall.Host host) {
        Network network = ensureNetwork(docker, settings);
        if (settings.firewall() == EgressSettings.Firewall.HOST) {
            new HostFirewall(host).install(settings.network(), settings.bridge());
        } else {
            log.info("egress network {} ({}): its host firewall rules are kept outside this process (HEARTH_EGRESS_FIREWALL=external)",
                    settings.network(), network.getId().substring(0, 12));
        }
    }

    private static Network ensureNetwork(DockerClient docker, EgressSettings settings) {
        Network network = find(docker, settings.network());
        if (network == null) {
            try {
                docker.createNetworkCmd()
                        .withName(settings.network())
                        .withDriver("bridge")
                        .withCheckDuplicate(true)
                        .withEnableIpv6(false)
                        .withInternal(false)
                        .withOptions(Map.of(ICC, "false", BRIDGE_NAME, settings.bridge()))
                        .withLabels(Map.of(LABEL, "egress"))
                        .exec();
                log.info("created the egress network {} (bridge {}, no inter-container traffic)", settings.network(), settings.bridge());
            } catch (DockerException e) {
                // Another Hearth may have created it a moment ago; if not, the engine's reason is what the operator needs.
                if (find(docker, settings.network()) == null) {
                    throw new IllegalStateException("cannot create the egress network " + settings.network() + ": " + e.getMessage(), e);
                }
            }
            network = find(docker, settings.network());
            if (network == null) {
                throw new IllegalStateException("the egress network " + settings.network() + " vanished right after it was created");
            }
        }
        List<String> wrong = differences(network, settings);
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the Docker network " + settings.network() + " exists but is not the one Hearth makes ("
                    + String.join("; ", wrong) + "); remove it ('docker network rm " + settings.network()
                    + "') or set HEARTH_EGRESS_NETWORK to another name");
        }
        return network;
    }

    private static Network find(DockerClient docker, String name) {
        try {
            Network network = docker.inspectNetworkCmd().withNetworkId(name).exec();
            // The engine also matches id prefixes; only the name counts here.
            return name.equals(network.getName()) ? network : null;
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** What makes an existing network unfit, empty when it is as Hearth creates it. */
    static List<String> differences(Network network, EgressSettings settings) {
        Map<String, String> options = network.getOptions() == null ? Map.of() : network.getOptions();
        Map<String, String> labels = network.getLabels() == null ? Map.of() : network.getLabels();
        List<String> wrong = new ArrayList<>();
        if (!"bridge".equals(network.getDriver())) {
            wrong.add("driver " + network.getDriver() + ", not bridge");
        }
        if (!"egress".equals(labels.get(LABEL))) {
            wrong.add("no label " + LABEL + "=egress");
        }
        if (!"false".equals(options.get(ICC))) {
            wrong.add("inter-container traffic is not off (" + ICC + "=false)");
        }
        if (!settings.bridge().equals(options.get(BRIDGE_NAME))) {
            wrong.add("bridge interface " + options.get(BRIDGE_NAME) + ", not " + settings.bridge());
        }
        if (Boolean.TRUE.equals(network.getEnableIPv6())) {
            wrong.add("IPv6 is on");
        }
        if (Boolean.TRUE.equals(network.getInternal())) {
            wrong.add("it is internal (no route out)");
        }
        return wrong;
    }
}
