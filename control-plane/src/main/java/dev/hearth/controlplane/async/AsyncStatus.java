package dev.hearth.controlplane.async;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where an async invocation stands, with the id the store and the REST API spell it with.
 *
 * <p>{@code queued → running → succeeded}; after a failed attempt {@code failed} until its retry
 * is due (then {@code running} again), {@code dead-lettered} after the last attempt, when the
 * function is gone or when the platform could not run it in time. A platform refusal (a limit, a
 * full or lost node) or a process stopped mid-call puts a running one back to {@code queued}.
 * {@code succeeded} and {@code dead-lettered} are final. {@link AsyncRecords} alone moves a record
 * from one to another, and only along {@link #canBecome}.
 */
public enum AsyncStatus {
    QUEUED("queued"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    DEAD_LETTERED("dead-lettered");

    private final String id;

    AsyncStatus(String id) {
        this.id = id;
    }

    /** As stored in the record and shown in the API. */
    public String id() {
        return id;
    }

    public static Optional<AsyncStatus> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** Every id, in the order of the life of an invocation. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(AsyncStatus::id).toList();
    }

    /** Nothing more happens to it. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD_LETTERED;
    }

    /** Waiting for a worker: its next attempt runs once {@code nextAttemptAt} has come. */
    public boolean awaitsAttempt() {
        return this == QUEUED || this == FAILED;
    }

    /** Whether a record in this status may move to {@code next}. */
    public boolean canBecome(AsyncStatus next) {
        return switch (this) {
            case QUEUED, FAILED -> next == RUNNING || next == DEAD_LETTERED;
            case RUNNING -> next == SUCCEEDED || next == FAILED || next == DEAD_LETTERED || next == QUEUED;
            case SUCCEEDED, DEAD_LETTERED -> false;
        };
    }

    /** The statuses a record may move to {@code next} from. */
    static Set<AsyncStatus> before(AsyncStatus next) {
        Set<AsyncStatus> from = EnumSet.noneOf(AsyncStatus.class);
        for (AsyncStatus status : values()) {
            if (status.canBecome(next)) {
                from.add(status);
            }
        }
        return from;
    }

    static Set<AsyncStatus> unfinished() {
        return EnumSet.complementOf(EnumSet.of(SUCCEEDED, DEAD_LETTERED));
    }
}
