package dev.hearth.controlplane.stream;

/**
 * Where one follower's events go: an open Server-Sent Events answer ({@link EventStream}), or a
 * recorder in unit tests. Sending never blocks; events sent after the end, or after the client
 * went away, are dropped.
 */
public interface EventSink {

    /** An event whose data is {@code data} as JSON. */
    void send(String event, Object data);

    /** The last event ({@code end}, its data as JSON); the stream closes once it is written. */
    void end(Object data);

    /** False once ended or gone (the client left, or fell too far behind). */
    boolean isOpen();
}
