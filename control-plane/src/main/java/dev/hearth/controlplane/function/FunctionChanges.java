package dev.hearth.controlplane.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.http.Json;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the route caches of control planes that share one store in step: a function changed on
 * one (created, updated, patched, deleted, built) is dropped from every other's cache at once,
 * instead of serving its previous version until the cache entry expires.
 */
public final class FunctionChanges {

    private static final Logger log = LoggerFactory.getLogger(FunctionChanges.class);
    static final String SUBJECT = "hearth.functions.changed";

    private FunctionChanges() {}

    /** Publishes this control plane's changes and applies the others'; close the result to stop. */
    public static AutoCloseable join(Connection nats, Functions functions) {
        functions.announceChangesTo((owner, name) -> {
            try {
                nats.publish(SUBJECT, Json.MAPPER.writeValueAsBytes(Map.of("owner", owner, "name", name)));
            } catch (IOException | RuntimeException e) {
                log.warn("cannot tell other control planes that {} changed: {}", name, e.getMessage());
            }
        });
        Dispatcher dispatcher = nats.createDispatcher(message -> {
            try {
                JsonNode change = Json.MAPPER.readTree(message.getData());
                functions.forget(change.path("owner").asText(), change.path("name").asText());
            } catch (IOException e) {
                log.warn("ignoring a malformed function change message");
            }
        });
        dispatcher.subscribe(SUBJECT);
        return () -> {
            functions.announceChangesTo((owner, name) -> {});
            nats.closeDispatcher(dispatcher);
        };
    }
}
