package dev.hearth.controlplane;

import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.docker.EgressNetwork;
import dev.hearth.poolmanager.docker.EgressSettings;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one Hearth role from environment variables and stops it cleanly on SIGINT/SIGTERM:
 * {@code embedded} (the default: everything in one process), {@code control-plane} or
 * {@code pool-manager} (the two roles of a distributed deployment, joined by HEARTH_NATS_URL).
 * {@code egress-firewall} is a one-shot step instead: it makes the egress network and installs
 * its host rules, for Hearths that run in containers of their own ({@code HEARTH_EGRESS_FIREWALL=external}).
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        String role = args.length == 0 ? "embedded" : args[0];
        AutoCloseable running;
        try {
            HearthConfig config = HearthConfig.fromEnv(Map.copyOf(System.getenv()));
            running = switch (role) {
                case "embedded" -> {
                    if (config.distributed()) {
                        throw new IllegalArgumentException("HEARTH_NATS_URL is set: start the 'control-plane' and 'pool-manager' roles,"
                                + " or unset it for embedded mode");
                    }
                    yield Hearth.start(config);
                }
                case "control-plane" -> {
                    if (!config.distributed()) {
                        throw new IllegalArgumentException("the control-plane role needs HEARTH_NATS_URL (nats://host:4222)");
                    }
                    yield Hearth.start(config);
                }
                case "pool-manager" -> PoolNode.start(config);
                case "egress-firewall" -> {
                    installEgressFirewall(config);
                    yield null;
                }
                default -> throw new IllegalArgumentException("unknown role '" + role
                        + "'; use embedded, control-plane, pool-manager or egress-firewall");
            };
        } catch (Exception e) {
            log.error("Hearth could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        if (running == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("stopping: {}", e.getMessage());
            }
        }, "hearth-shutdown"));
    }

    /** Run in the host's network namespace with NET_ADMIN, as deploy/compose.yaml's egress-firewall service is. */
    private static void installEgressFirewall(HearthConfig config) {
        try (var engine = new DockerEngine(config.pool().dockerHost(), config.pool().containerUid(), System::nanoTime)) {
            engine.ping();
            EgressNetwork.ensure(engine, config.pool().egress().withFirewall(EgressSettings.Firewall.HOST));
        }
        log.info("egress network {} and its host firewall rules are in place", config.pool().egress().network());
    }
}
