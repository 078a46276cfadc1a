package dev.hearth.controlplane.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.async.AsyncInvocations;
import dev.hearth.controlplane.http.Json;
import dev.hearth.controlplane.invocation.InvocationLog;
import dev.hearth.controlplane.invocation.InvocationRecord;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other control planes sharing the store which invocation records this one stored, so
 * that their followers of those functions' logs read them at once ({@link LogFollowing}): one
 * notice per batch the record writer stores, one per async attempt. A notice names functions and
 * records, never their lines; a control plane reads only the records of functions it has
 * followers of, and ignores its own notices, whose records its followers already had.
 */
public final class InvocationNotices {

    private static final Logger log = LoggerFactory.getLogger(InvocationNotices.class);
    static final String SUBJECT = "hearth.invocations.stored";

    private InvocationNotices() {}

    /** Publishes this control plane's stored records and reads the others'; close the result to stop reading. */
    public static AutoCloseable join(Connection nats, InvocationLog invocations, AsyncInvocations async, LogFollowing following) {
        String self = UUID.randomUUID().toString();
        invocations.whenStored(batch -> publish(nats, notice(self, batch, List.of())));
        async.whenAttemptStored(attempt -> publish(nats, notice(self, List.of(),
                List.of(Map.of("f", attempt.functionId(), "id", attempt.id(), "n", attempt.attempt())))));
        Dispatcher dispatcher = nats.createDispatcher(message -> receive(self, message.getData(), following));
        dispatcher.subscribe(SUBJECT);
        return () -> nats.closeDispatcher(dispatcher);
    }

    static Map<String, Object> notice(String from, List<InvocationRecord> sync, List<Map<String, Object>> async) {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("from", from);
        notice.put("sync", sync.stream().map(r -> Map.of("f", r.functionId(), "id", r.id())).toList());
        notice.put("async", async);
        return notice;
    }

    private static void publish(Connection nats, Map<String, Object> notice) {
        try {
            nats.publish(SUBJECT, Json.write(notice));
        } catch (RuntimeException e) {
            log.warn("cannot tell other control planes of stored invocations: {}", e.getMessage());
        }
    }

    /** The records of a notice from another control plane that functions followed here have. */
    static void receive(String self, byte[] data, LogFollowing following) {
        JsonNode notice;
        try {
            notice = Json.MAPPER.readTree(data);
        } catch (IOException e) {
            log.warn("ignoring a malformed invocation notice");
            return;
        }
        if (notice == null || self.equals(notice.path("from").asText())) {
            return;
        }
        List<String> sync = new ArrayList<>();
        for (JsonNode entry : notice.path("sync")) {
            if (following.followed(entry.path("f").asText())) {
                sync.add(entry.path("id").asText());
            }
        }
        Map<String, Integer> async = new LinkedHashMap<>();
        for (JsonNode entry : notice.path("async")) {
            if (following.followed(entry.path("f").asText())) {
                async.put(entry.path("id").asText(), entry.path("n").asInt());
            }
        }
        if (!sync.isEmpty() || !async.isEmpty()) {
            following.later(() -> following.storedElsewhere(sync, async));
        }
    }
}
