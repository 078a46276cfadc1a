package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;

/**
 * One Server-Sent Event: its {@code event:} name ({@code message} when none was given) and its
 * {@code data:} lines joined with newlines.
 */
public record ServerEvent(String name, String data) {

    /** The data read as JSON; a missing node when it is not JSON. */
    public JsonNode json() {
        try {
            JsonNode node = HearthApi.JSON.readTree(data);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * Turns a stream's lines into events, as the HTML standard's event-stream parsing says:
     * a blank line dispatches, {@code :} starts a comment (keep-alives), one leading space after
     * the colon is dropped, {@code id} and {@code retry} are read and ignored (the CLI never resumes),
     * and an event with no data is not dispatched.
     */
    public static final class Parser {
        private final StringBuilder data = new StringBuilder();
        private boolean hasData;
        private String name = "";

        /** Feeds one line (without its line ending); returns the event it completes, else null. */
        public ServerEvent line(String line) {
            if (line.isEmpty()) {
                ServerEvent event = hasData ? new ServerEvent(name.isEmpty() ? "message" : name, data.toString()) : null;
                data.setLength(0);
                hasData = false;
                name = "";
                return event;
            }
            if (line.charAt(0) == ':') {
                return null;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> {
                    if (hasData) {
                        data.append('\n');
                    }
                    data.append(value);
                    hasData = true;
                }
                default -> { /* id, retry and unknown fields: nothing the CLI uses */ }
            }
            return null;
        }
    }
}
