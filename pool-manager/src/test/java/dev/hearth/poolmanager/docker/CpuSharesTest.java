package dev.hearth.poolmanager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The division of CPU weight between users, against an engine that only records the weights it is given. */
class CpuSharesTest {

    /** The last weight the engine was given per container, and how many updates it got. */
    final Map<String, Integer> weights = new ConcurrentHashMap<>();
    final AtomicInteger updates = new AtomicInteger();
    final ContainerEngine engine = (ContainerEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ContainerEngine.class}, (proxy, method, args) -> {
                if (method.getName().equals("setCpuShares")) {
                    if (((String) args[0]).startsWith("gone")) {
                        throw new IllegalStateException("no such container");
                    }
                    weights.put((String) args[0], (Integer) args[1]);
                    updates.incrementAndGet();
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    /** Re-weights synchronously, so each step can be checked as it happens. */
    CpuShares shares = new CpuShares(CpuSettings.DEFAULT, engine, (task, delay) -> task.run(), Duration.ZERO, () -> { });

    @AfterEach
    void close() {
        shares.close();
    }

    @Test
    void divided_splitsTheBaseBetweenAUsersContainers() {
        var settings = new CpuSettings(true, 1024);
        assertEquals(1024, settings.divided(0));
        assertEquals(1024, settings.divided(1));
        assertEquals(512, settings.divided(2));
        assertEquals(170, settings.divided(6));
        // Never below the kernel's minimum, however many containers one user has.
        assertEquals(CpuSettings.MIN_SHARES, settings.divided(10_000));
    }

    @Test
    void divided_perContainer_givesEveryContainerTheBase() {
        assertEquals(1024, new CpuSettings(false, 1024).divided(6));
    }

    @Test
    void settings_outOfRange_refused() {
        assertThrows(IllegalArgumentException.class, () -> new CpuSettings(true, 1));
        assertThrows(IllegalArgumentException.class, () -> new CpuSettings(true, 262_145));
    }

    @Test
    void own_reweightsEveryContainerOfThatUserOnly() {
        shares.own("a1", "alice", 1024);
        shares.own("a2", "alice", 1024);
        shares.own("a3", "alice", 1024);
        shares.own("b1", "bob", 1024);
        assertEquals(Map.of("a1", 341, "a2", 341, "a3", 341), weights);
        assertEquals(3, shares.containersOf("alice"));
        // Bob's one container already has the base weight: nothing to change.
        assertEquals(null, weights.get("b1"));
    }

    @Test
    void reweighting_startsSettleAfterAChange_andCoalescesTheChangesMadeMeanwhile() {
        shares.close();
        List<Runnable> scheduled = new ArrayList<>();
        List<Duration> delays = new ArrayList<>();
        shares = new CpuShares(CpuSettings.DEFAULT, engine, (task, delay) -> {
            scheduled.add(task);
            delays.add(delay);
        }, CpuShares.SETTLE, () -> { });
        shares.own("a1", "alice", 1024);
        shares.own("a2", "alice", 1024);
        shares.own("a3", "alice", 1024);
        shares.own("b1", "bob", 1024);
        shares.own("b2", "bob", 1024);
        // Nothing reaches the engine while the burst goes on: one drain is scheduled, SETTLE after the first change.
        assertEquals(0, updates.get());
        assertEquals(List.of(CpuShares.SETTLE), delays);
        scheduled.remove(0).run();
        assertEquals(Map.of("a1", 341, "a2", 341, "a3", 341, "b1", 512, "b2", 512), weights);
        assertEquals(5, updates.get(), "each container updated once, to its final weight");
        // The next change schedules a new drain.
        shares.release("a3");
        assertEquals(1, scheduled.size());
        scheduled.remove(0).run();
        assertEquals(512, weights.get("a1"));
        assertEquals(7, updates.get());
    }

    @Test
    void forNew_countsTheContainerAboutToBeMade() {
        assertEquals(1024, shares.forNew("alice"));
        shares.own("a1", "alice", 1024);
        assertEquals(512, shares.forNew("alice"));
        assertEquals(1024, shares.forNew("bob"));
    }

    @Test
    void release_givesTheShareBackToTheOthers() {
        shares.own("a1", "alice", 1024);
        shares.own("a2", "alice", 1024);
        assertEquals(Map.of("a1", 512, "a2", 512), weights);
        shares.release("a2");
        assertEquals(1024, weights.get("a1"));
        shares.release("a1");
        assertEquals(0, shares.containersOf("alice"));
        assertEquals(1024, shares.forNew("alice"));
    }

    @Test
    void createdWithItsShare_isNotUpdatedAgain() {
        shares.own("a1", "alice", 1024);
        int share = shares.forNew("alice");
        shares.own("a2", "alice", share);
        assertEquals(512, weights.get("a1"));
        shares.own("b1", "bob", 1024);
        assertEquals(null, weights.get("a2"));
    }

    @Test
    void containerGoneBeforeItsUpdate_doesNotStopTheOthers() {
        shares.own("gone1", "alice", 1024);
        shares.own("a2", "alice", 1024);
        assertEquals(512, weights.get("a2"));
    }

    @Test
    void perContainer_neverUpdates() {
        shares.close();
        shares = new CpuShares(new CpuSettings(false, 1024), engine, (task, delay) -> task.run(), Duration.ZERO, () -> { });
        shares.own("a1", "alice", 1024);
        shares.own("a2", "alice", 1024);
        assertEquals(1024, shares.forNew("alice"));
        assertEquals(0, shares.containersOf("alice"));
        assertEquals(0, updates.get());
    }

    @Test
    void closed_ownsNothing() {
        shares.close();
        shares.own("a1", "alice", 1024);
        shares.own("a2", "alice", 1024);
        assertEquals(0, shares.containersOf("alice"));
        assertEquals(0, updates.get());
    }
}
