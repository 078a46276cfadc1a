package dev.hearth.poolmanager.pool;

/**
 * Makes room for the fleet: idle generic containers go first (they are nobody's), as many as
 * the call's memory needs; then the registry evicts one idle warm container by fair share.
 * Until both exist nothing idle can be evicted. The registry exists only after the fleet, so
 * {@link LocalPoolManager} sets the links once it has built them.
 */
final class RoomLink implements RoomMaker {
    private final int poolMemoryMb;
    volatile Fleet fleet;
    volatile PrewarmedPools prewarmed;
    volatile RoomMaker registry;

    RoomLink(int poolMemoryMb) {
        this.poolMemoryMb = poolMemoryMb;
    }

    @Override
    public boolean makeRoom(String owner, int memoryMb) {
        PrewarmedPools pools = prewarmed;
        if (pools != null && fleet != null) {
            // A call of memoryMb fits once one container and its memory are free.
            int needed = Math.max(1, (memoryMb + poolMemoryMb - 1) / poolMemoryMb);
            boolean gave = false;
            while (fleet.freeSlots(memoryMb) < 1 && needed-- > 0 && pools.giveUpOne()) {
                gave = true;
            }
            if (gave && fleet.freeSlots(memoryMb) >= 1) {
                return true;
            }
        }
        RoomMaker target = registry;
        return target != null && target.makeRoom(owner, memoryMb);
    }
}
