package dev.hearth.poolmanager;

/** What became of an invocation once a container took it. */
public sealed interface Outcome {

    /** The handler returned; {@code json} is its result, serialized by the agent. */
    record Success(byte[] json) implements Outcome {}

    /**
     * The function itself failed: its handler raised, or its code could not be loaded.
     *
     * @param json the agent's error object: {@code errorType}, {@code errorMessage}, {@code stackTrace}
     */
    record FunctionError(byte[] json) implements Outcome {}

    /** The handler ran past the function's timeout; its container was destroyed. */
    record Timeout(int timeoutMs) implements Outcome {}

    /** The container died or stopped answering mid-call (out of memory, exit, kill). */
    record Crashed(String reason) implements Outcome {}
}
