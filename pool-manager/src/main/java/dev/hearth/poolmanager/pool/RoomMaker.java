package dev.hearth.poolmanager.pool;

/**
 * Makes room on a full node for one more container: {@link Fleet} asks once before it refuses
 * a start or a resize, and {@link WarmRegistry}, which holds the idle warm containers, answers by
 * evicting one if fair shares allow.
 */
@FunctionalInterface
interface RoomMaker {

    /** True when an idle container was removed (its room released) so that {@code owner} may get {@code memoryMb}. */
    boolean makeRoom(String owner, int memoryMb);
}
