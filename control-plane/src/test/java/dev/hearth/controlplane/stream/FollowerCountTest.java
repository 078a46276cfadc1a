package dev.hearth.controlplane.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FollowerCountTest {

    @Test
    void aUser_getsExactlyTheirCap_andOneMoreOnceOneCloses() {
        FollowerCount count = new FollowerCount(2, 10);
        assertEquals(FollowerCount.Refusal.NONE, count.tryAcquire("ann"));
        assertEquals(FollowerCount.Refusal.NONE, count.tryAcquire("ann"));
        assertEquals(FollowerCount.Refusal.USER, count.tryAcquire("ann"));
        assertEquals(FollowerCount.Refusal.NONE, count.tryAcquire("bob"), "another user has caps of their own");
        count.release("ann");
        assertEquals(FollowerCount.Refusal.NONE, count.tryAcquire("ann"));
        assertEquals(2, count.open("ann"));
        assertEquals(3, count.total());
    }

    @Test
    void theServersCap_holdsForAllUsersTogether() {
        FollowerCount count = new FollowerCount(2, 3);
        count.tryAcquire("ann");
        count.tryAcquire("ann");
        count.tryAcquire("bob");
        assertEquals(FollowerCount.Refusal.SERVER, count.tryAcquire("cid"));
        count.release("ann");
        assertEquals(FollowerCount.Refusal.NONE, count.tryAcquire("cid"));
    }

    @Test
    void releasing_whatWasNeverCounted_isABug() {
        FollowerCount count = new FollowerCount(2, 3);
        assertThrows(IllegalStateException.class, () -> count.release("ann"));
        count.tryAcquire("ann");
        count.release("ann");
        assertEquals(0, count.open("ann"));
        assertEquals(0, count.total());
    }

    @Test
    void capsOutOfOrder_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FollowerCount(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new FollowerCount(4, 3));
    }
}
