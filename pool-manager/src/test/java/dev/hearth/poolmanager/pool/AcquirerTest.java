package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The waiting policy with starts faked: no Docker, short queue times. */
class AcquirerTest {

    static final FunctionSpec FUNCTION = new FunctionSpec("id", "u", "f", 1,
            new Workload.Image("img", Workload.Contract.HTTP), 128, 1000, null, false, 0);
    static final Duration QUEUE_WAIT = Duration.ofMillis(200);
    static final Duration ROUND = Duration.ofMillis(10);

    final WarmSet set = new WarmSet("u");
    final AtomicInteger starts = new AtomicInteger();
    final ConcurrentLinkedQueue<ContainerHandle> discarded = new ConcurrentLinkedQueue<>();
    final ExecutorService calls = Executors.newCachedThreadPool();
    Acquirer acquirer;

    /** A start that ignores when it finds room. */
    interface Starts {
        Starter.Ready start(FunctionSpec function) throws InterruptedException;
    }

    Acquirer with(Starts start) {
        acquirer = new Acquirer((f, roomFound) -> {
            starts.incrementAndGet();
            return start.start(f);
        }, discarded::add, Clock.systemUTC(), Duration.ofSeconds(5), QUEUE_WAIT, ROUND);
        return acquirer;
    }

    @AfterEach
    void stop() {
        calls.shutdownNow();
        if (acquirer != null) {
            acquirer.close();
        }
    }

    static ContainerHandle container(String id) {
        return PoolPolicyTest.warm(id, Instant.EPOCH).container();
    }

    @Test
    void burst_isServedByContainersAsTheyComeFree_whileStartsStayFewerThanCalls() throws Exception {
        var slowStarts = new CountDownLatch(1);
        with(f -> {
            slowStarts.await();
            return new Starter.Ready(container("new-" + starts.get()), StartKind.COLD, null);
        });
        List<Future<Starter.Ready>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(calls.submit(() -> acquirer.acquire(set, FUNCTION)));
        }
        while (starts.get() < 3) {
            Thread.sleep(5);
        }
        // Three calls, three starts under way, and none more however long they wait.
        Thread.sleep(5 * ROUND.toMillis());
        assertEquals(3, starts.get());
        for (int i = 0; i < 3; i++) {
            set.giveBack(PoolPolicyTest.warm("freed-" + i, Instant.EPOCH));
        }
        for (Future<Starter.Ready> call : waiting) {
            Starter.Ready handed = call.get(1, TimeUnit.SECONDS);
            assertEquals(StartKind.WARM, handed.kind());
            assertTrue(handed.container().id().startsWith("freed-"));
        }
        slowStarts.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (set.idleCount() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(3, set.idleCount(), "the late starts wait idle for the next calls");
        assertTrue(discarded.isEmpty());
    }

    @Test
    void fullNode_refusesTheCallAfterTheQueueWait_andRetriesMeanwhile() {
        with(f -> {
            throw PoolException.atCapacity("full");
        });
        long begun = System.nanoTime();
        PoolException refused = assertThrows(PoolException.class, () -> acquirer.acquire(set, FUNCTION));
        long waitedMs = (System.nanoTime() - begun) / 1_000_000;
        assertTrue(refused.atCapacity(), refused::getMessage);
        assertTrue(waitedMs >= QUEUE_WAIT.toMillis(), "waited " + waitedMs + " ms");
        assertTrue(starts.get() > 2, "a refused start is tried again: " + starts.get());
        assertEquals(0, set.idleCount());
        assertTrue(set.cancel(set.await()), "the refused call left no waiter behind");
        assertFalse(set.claimStart(Long.MAX_VALUE, Duration.ZERO), "and no start is claimed for it");
    }

    @Test
    void fullNode_aContainerFreedWithinTheQueueWait_servesTheCall() throws Exception {
        with(f -> {
            throw PoolException.atCapacity("full");
        });
        Future<Starter.Ready> call = calls.submit(() -> acquirer.acquire(set, FUNCTION));
        Thread.sleep(QUEUE_WAIT.toMillis() / 3);
        set.giveBack(PoolPolicyTest.warm("freed", Instant.EPOCH));
        assertEquals("freed", call.get(1, TimeUnit.SECONDS).container().id());
    }

    @Test
    void startsSlowerThanTheQueueWait_neverThrottleTheCalls() throws Exception {
        with(f -> {
            Thread.sleep(QUEUE_WAIT.toMillis() * 2);
            return new Starter.Ready(container("slow-" + starts.get()), StartKind.COLD, null);
        });
        List<Future<Starter.Ready>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(calls.submit(() -> acquirer.acquire(set, FUNCTION)));
            Thread.sleep(QUEUE_WAIT.toMillis() / 2); // calls arrive while earlier starts finish
        }
        for (Future<Starter.Ready> call : waiting) {
            assertEquals(StartKind.COLD, call.get(5, TimeUnit.SECONDS).kind());
        }
        assertTrue(starts.get() <= 4, "no more starts than calls: " + starts.get());
    }

    @Test
    void startFailingForTheFunction_isTheCallsAnswer() throws Exception {
        Outcome failure = Outcome.FunctionError.of("Runtime.ImportModuleError", "no module named x");
        with(f -> Starter.Ready.failed(StartKind.POOL, failure));
        Starter.Ready handed = acquirer.acquire(set, FUNCTION);
        assertSame(failure, handed.failure());
        assertEquals(StartKind.POOL, handed.kind());
    }

    @Test
    void startRefusedForAnotherReason_isThrown() {
        with(f -> {
            throw PoolException.unavailable("no python runtime is configured on this node");
        });
        PoolException refused = assertThrows(PoolException.class, () -> acquirer.acquire(set, FUNCTION));
        assertTrue(refused.getMessage().contains("no python runtime"), refused::getMessage);
    }

    @Test
    void aPoolStart_isReportedAsPool() throws Exception {
        with(f -> new Starter.Ready(container("pooled"), StartKind.POOL, null));
        Starter.Ready handed = acquirer.acquire(set, FUNCTION);
        assertEquals(StartKind.POOL, handed.kind());
        assertEquals("pooled", handed.container().id());
        assertEquals(1, starts.get());
    }

    @Test
    void aCallWhoseStartFoundRoom_waitsForTheStart_notAsOnAFullNode() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        acquirer = new Acquirer((f, roomFound) -> {
            if (attempts.incrementAndGet() == 1) {
                throw PoolException.atCapacity("full");
            }
            roomFound.run();
            Thread.sleep(QUEUE_WAIT.toMillis() * 2);
            return new Starter.Ready(container("late"), StartKind.COLD, null);
        }, discarded::add, Clock.systemUTC(), Duration.ofSeconds(5), QUEUE_WAIT, ROUND);
        assertEquals("late", acquirer.acquire(set, FUNCTION).container().id());
    }
}
