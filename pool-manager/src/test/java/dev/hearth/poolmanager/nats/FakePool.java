package dev.hearth.poolmanager.nats;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.StartKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A pool that records what it is asked and on which thread, and answers invocations with {@code result}. */
final class FakePool implements PoolManager {
    final List<String> asked = new CopyOnWriteArrayList<>();
    /** The thread each of {@link #asked} ran on. */
    final List<String> askedOn = new CopyOnWriteArrayList<>();
    /** Every invocation's whole request, as the node handed it over. */
    final List<InvokeRequest> requests = new CopyOnWriteArrayList<>();
    volatile byte[] result = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    /** Runs inside each invocation, on its thread: a test may hold the call there. */
    volatile Runnable duringInvoke = () -> {};
    volatile CountDownLatch retireBlocks = new CountDownLatch(0);
    volatile boolean retireDone;

    private void ask(String what) {
        asked.add(what);
        askedOn.add(Thread.currentThread().getName());
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Invocation invoke(InvokeRequest request) {
        requests.add(request);
        ask("invoke " + request.function().id() + " " + new String(request.event(), StandardCharsets.UTF_8));
        duringInvoke.run();
        return new Invocation(request.invocationId(), StartKind.WARM, new Outcome.Success(result), 0, 5, new byte[0], "n1");
    }

    @Override
    public void prepare(FunctionSpec function) {
        ask("prepare " + function.id());
    }

    @Override
    public void retire(String functionId) {
        ask("retire " + functionId);
        await(retireBlocks);
        retireDone = true;
    }

    @Override
    public void retireVersions(String functionId, Set<Long> versions) {
        ask("retireVersions " + functionId + " " + new TreeSet<>(versions));
    }

    @Override
    public void requireImage(String image) {
        ask("requireImage " + image);
    }

    @Override
    public boolean warmedUp() {
        return true;
    }

    @Override
    public PoolStats stats() {
        return new PoolStats(Map.of("python", 2), Map.of("python", 1), 1, Map.of(new VersionKey("f", 1), 3), Set.of(new VersionKey("g", 4)), 10);
    }

    @Override
    public void close() {}
}
