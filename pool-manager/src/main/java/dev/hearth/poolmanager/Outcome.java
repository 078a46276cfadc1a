package dev.hearth.poolmanager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;

/** What became of an invocation once a container took it. */
public sealed interface Outcome {

    /** The handler returned; {@code json} is its result, serialized by the agent. */
    record Success(byte[] json) implements Outcome {}

    /**
     * The function itself failed: its handler raised, or its code could not be loaded.
     *
     * @param json the agent's error object: {@code errorType}, {@code errorMessage}, {@code stackTrace}
     */
    record FunctionError(byte[] json) implements Outcome {

        /** An error the platform detects itself, in the agent's own shape. */
        public static FunctionError of(String type, String message) {
            return new FunctionError(json(type, message));
        }

        /** The agent's error object: {@code {"errorType","errorMessage"}}, escaped by Jackson whatever the message holds. */
        public static byte[] json(String type, String message) {
            var error = JsonNodeFactory.instance.objectNode().put("errorType", type).put("errorMessage", message);
            return error.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The handler ran past the function's timeout; its container was destroyed. */
    record Timeout(int timeoutMs) implements Outcome {}

    /**
     * The container died or stopped answering mid-call (out of memory, exit, kill).
     *
     * @param exitStatus the status its process exited with, as the engine saw it, or null when not known
     */
    record Crashed(String reason, Integer exitStatus) implements Outcome {

        /** A crash whose exit status is not known (the container never ran the call, or still runs). */
        public Crashed(String reason) {
            this(reason, null);
        }
    }
}
