package dev.hearth.controlplane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Hearth in embedded mode from environment variables; stops it cleanly on SIGINT/SIGTERM. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        Hearth hearth;
        try {
            hearth = Hearth.start(HearthConfig.fromEnv(System.getenv()));
        } catch (Exception e) {
            log.error("Hearth could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(hearth::close, "hearth-shutdown"));
    }
}
