package dev.hearth.controlplane;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one Hearth role from environment variables and stops it cleanly on SIGINT/SIGTERM:
 * {@code embedded} (the default: everything in one process), {@code control-plane} or
 * {@code pool-manager} (the two roles of a distributed deployment, joined by HEARTH_NATS_URL).
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
                default -> throw new IllegalArgumentException("unknown role '" + role + "'; use embedded, control-plane or pool-manager");
            };
        } catch (Exception e) {
            log.error("Hearth could not start: {}", e.getMessage(), e);
            System.exit(1);
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
}
