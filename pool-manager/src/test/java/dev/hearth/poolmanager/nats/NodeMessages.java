package dev.hearth.poolmanager.nats;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The messages a node's tests send it. */
final class NodeMessages {

    static final FunctionSpec F1 = new FunctionSpec("f", "owner", "fn", 1,
            new Workload.Source(Language.PYTHON, "main.handler", "a".repeat(64)), new FunctionSettings(128, 1_000, 0, Map.of(), false, 0));

    private NodeMessages() {}

    /** An invocation of {@link #F1}, answered to {@code replyTo}. */
    static Message invoke(String replyTo, String event) {
        return NatsMessage.builder().subject(Wire.INVOKE_ANY).replyTo(replyTo)
                .headers(Wire.meta(new Wire.InvokeMeta(F1, "inv-1", "prod", "eyJjdXN0b20iOnt9fQ==")))
                .data(event.getBytes(StandardCharsets.UTF_8)).build();
    }

    static Message message(String subject, byte[] data) {
        return NatsMessage.builder().subject(subject).data(data).build();
    }
}
