package dev.hearth.poolmanager.pool;

import java.util.Objects;

/**
 * Who asks the node for a container, and how: a call that waits for it ({@code waiting}: a
 * refusal leaves a claim, so room that comes free goes to it by fair share), or one that does not
 * wait: background work (keeping {@code minWarm} ready), and an {@code exec} image's call, which
 * is answered at once when the node is full; they take only what is free or fairly evictable.
 *
 * @param roomFound told once the container has its room, before it is started (the call stops
 *                  counting its wait for room)
 */
record Demand(String owner, boolean waiting, Runnable roomFound) {

    Demand {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(roomFound, "roomFound");
    }

    static Demand call(String owner, Runnable roomFound) {
        return new Demand(owner, true, roomFound);
    }

    static Demand background(String owner) {
        return new Demand(owner, false, () -> {});
    }
}
