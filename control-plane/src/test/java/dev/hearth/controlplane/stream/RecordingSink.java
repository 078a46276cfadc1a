package dev.hearth.controlplane.stream;

import dev.hearth.controlplane.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An {@link EventSink} that keeps what it was sent, each event as {@code name data-as-JSON}, for unit tests. */
public final class RecordingSink implements EventSink {

    private final List<String> events = new ArrayList<>();
    private boolean ended;
    private boolean gone;

    @Override
    public synchronized void send(String event, Object data) {
        if (isOpen()) {
            events.add(event + " " + new String(Json.write(data), StandardCharsets.UTF_8));
        }
    }

    @Override
    public synchronized void end(Object data) {
        send("end", data);
        ended = true;
    }

    @Override
    public synchronized boolean isOpen() {
        return !ended && !gone;
    }

    /** The client went away. */
    public synchronized void leave() {
        gone = true;
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }
}
