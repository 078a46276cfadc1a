package dev.hearth.controlplane.route;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the route tables and URL caches of control planes that share one store in step: a route
 * made or deleted, or a URL changed, on one is dropped from every other's cache at once.
 */
public final class RouteChanges {

    private static final Logger log = LoggerFactory.getLogger(RouteChanges.class);
    static final String SUBJECT = "hearth.routes.changed";
    /** What a change names: the route table, or one URL's id (at most this long). */
    private static final int MAX_MESSAGE = 64;

    private RouteChanges() {}

    /** Publishes this control plane's changes and applies the others'; close the result to stop. */
    public static AutoCloseable join(Connection nats, Routes routes) {
        routes.announceChangesTo(what -> {
            try {
                nats.publish(SUBJECT, what.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                log.warn("cannot tell other control planes that routes changed: {}", e.getMessage());
            }
        });
        Dispatcher dispatcher = nats.createDispatcher(message -> {
            if (message.getData() != null && message.getData().length > 0 && message.getData().length <= MAX_MESSAGE) {
                routes.forget(new String(message.getData(), StandardCharsets.UTF_8));
            }
        });
        dispatcher.subscribe(SUBJECT);
        return () -> {
            routes.announceChangesTo(what -> {});
            nats.closeDispatcher(dispatcher);
        };
    }
}
