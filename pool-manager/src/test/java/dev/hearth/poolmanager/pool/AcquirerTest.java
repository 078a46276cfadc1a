package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.fakes.FakeTicker;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The waiting policy with starts faked and time on a fake ticker: no Docker, no sleeping. A test
 * waits for starts with a semaphore and for the waiting calls to look again by counting the
 * ticker's reads.
 */
class AcquirerTest {

    static final FunctionSpec FUNCTION = new FunctionSpec("id", "u", "f", 1,
            new Workload.Image("img", Workload.Contract.HTTP), new FunctionSettings(128, 1000, 0, null, false, 0));
    static final Duration QUEUE_WAIT = Duration.ofMillis(200);
    static final Duration ROUND = Duration.ofMillis(10);
    static final Duration START_LIMIT = Duration.ofSeconds(5);

    final WarmSet set = new WarmSet("u");
    final AtomicInteger starts = new AtomicInteger();
    /** One permit per start begun. */
    final Semaphore begun = new Semaphore(0);
    /** Holds the starts that wait for it. */
    final CountDownLatch release = new CountDownLatch(1);
    final ConcurrentLinkedQueue<ContainerHandle> discarded = new ConcurrentLinkedQueue<>();
    final ExecutorService calls = Executors.newCachedThreadPool();
    final FakeTicker ticker = new FakeTicker();
    Acquirer acquirer;

    /** A start that ignores when it finds room. */
    interface Starts {
        Starter.Ready start(FunctionSpec function) throws InterruptedException;
    }

    Acquirer with(Starts start) {
        return with(ticker, start);
    }

    Acquirer with(LongSupplier nanos, Starts start) {
        acquirer = new Acquirer((f, roomFound) -> {
            starts.incrementAndGet();
            begun.release();
            return start.start(f);
        }, discarded::add, Clock.systemUTC(), nanos, START_LIMIT, QUEUE_WAIT, ROUND);
        return acquirer;
    }

    @AfterEach
    void stop() {
        release.countDown();
        calls.shutdownNow();
        if (acquirer != null) {
            acquirer.close();
        }
    }

    static ContainerHandle container(String id) {
        return PoolPolicyTest.warm(id, Instant.EPOCH).container();
    }

    void awaitStarts(int count) throws InterruptedException {
        assertTrue(begun.tryAcquire(count, 10, TimeUnit.SECONDS), "starts begun: " + starts.get());
    }

    @Test
    void burst_isServedByContainersAsTheyComeFree_whileStartsStayFewerThanCalls() throws Exception {
        with(f -> {
            release.await();
            return new Starter.Ready(container("new-" + starts.get()), StartKind.COLD, null);
        });
        List<Future<Starter.Ready>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(calls.submit(() -> acquirer.acquire(set, FUNCTION)));
        }
        awaitStarts(3);
        // Three calls, three starts under way, and none more however often they look again.
        ticker.awaitMoreReads(30);
        assertEquals(3, starts.get());
        for (int i = 0; i < 3; i++) {
            set.giveBack(PoolPolicyTest.warm("freed-" + i, Instant.EPOCH));
        }
        for (Future<Starter.Ready> call : waiting) {
            Starter.Ready handed = call.get(10, TimeUnit.SECONDS);
            assertEquals(StartKind.WARM, handed.kind());
            assertTrue(handed.container().id().startsWith("freed-"));
        }
        release.countDown();
        acquirer.close(); // returns once the starts under way have ended
        assertEquals(3, set.idleCount(), "the late starts wait idle for the next calls");
        assertTrue(discarded.isEmpty());
    }

    @Test
    void fullNode_refusesTheCallAfterTheQueueWait_andRetriesMeanwhile() {
        // Each look at the time takes half a round, as a call's loop reads it twice a round.
        FakeTicker ticking = FakeTicker.advancingBy(ROUND.dividedBy(2));
        with(ticking, f -> {
            throw PoolException.atCapacity("full");
        });
        long from = ticking.peek();
        PoolException refused = assertThrows(PoolException.class, () -> acquirer.acquire(set, FUNCTION));
        Duration waited = Duration.ofNanos(ticking.peek() - from);
        assertTrue(refused.atCapacity(), refused::getMessage);
        assertTrue(waited.compareTo(QUEUE_WAIT) >= 0, "waited " + waited);
        assertTrue(waited.compareTo(START_LIMIT) < 0, "refused for room, not for the start limit: " + waited);
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
        awaitStarts(1);
        ticker.advance(QUEUE_WAIT.dividedBy(3));
        set.giveBack(PoolPolicyTest.warm("freed", Instant.EPOCH));
        assertEquals("freed", call.get(10, TimeUnit.SECONDS).container().id());
    }

    @Test
    void startsSlowerThanTheQueueWait_neverThrottleTheCalls() throws Exception {
        with(f -> {
            release.await();
            return new Starter.Ready(container("slow-" + starts.get()), StartKind.COLD, null);
        });
        List<Future<Starter.Ready>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(calls.submit(() -> acquirer.acquire(set, FUNCTION)));
            ticker.advance(QUEUE_WAIT.dividedBy(2)); // calls arrive while earlier starts run
        }
        awaitStarts(4);
        ticker.advance(QUEUE_WAIT.multipliedBy(2));
        ticker.awaitMoreReads(30);
        release.countDown();
        for (Future<Starter.Ready> call : waiting) {
            assertEquals(StartKind.COLD, call.get(10, TimeUnit.SECONDS).kind());
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
                begun.release();
                throw PoolException.atCapacity("full");
            }
            roomFound.run();
            begun.release();
            release.await();
            return new Starter.Ready(container("late"), StartKind.COLD, null);
        }, discarded::add, Clock.systemUTC(), ticker, START_LIMIT, QUEUE_WAIT, ROUND);
        Future<Starter.Ready> call = calls.submit(() -> acquirer.acquire(set, FUNCTION));
        awaitStarts(1);
        // A start refused for room is tried again a round later; a few rounds, far from the queue wait.
        int rounds = 0;
        do {
            ticker.advance(ROUND);
        } while (!begun.tryAcquire(1, 200, TimeUnit.MILLISECONDS) && ++rounds < 10);
        assertEquals(2, attempts.get(), "tried again once the round passed");
        ticker.advance(QUEUE_WAIT.multipliedBy(2));
        ticker.awaitMoreReads(30);
        release.countDown();
        assertEquals("late", call.get(10, TimeUnit.SECONDS).container().id());
    }
}
