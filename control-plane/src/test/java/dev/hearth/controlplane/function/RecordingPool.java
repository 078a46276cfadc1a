package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A pool that only records what the control plane asks of it: preparations and retirements. */
final class RecordingPool implements PoolManager {

    final List<FunctionSpec> prepared = new CopyOnWriteArrayList<>();
    final List<Set<Long>> retired = new CopyOnWriteArrayList<>();

    @Override
    public Invocation invoke(InvokeRequest request) {
        throw new UnsupportedOperationException("no calls in these tests");
    }

    @Override
    public void prepare(FunctionSpec function) {
        prepared.add(function);
    }

    @Override
    public void retire(String functionId) {
        retired.add(Set.of(Long.MAX_VALUE));
    }

    @Override
    public void retireVersions(String functionId, Set<Long> versions) {
        retired.add(Set.copyOf(versions));
    }

    @Override
    public void requireImage(String image) {}

    @Override
    public boolean warmedUp() {
        return true;
    }

    @Override
    public PoolStats stats() {
        throw new UnsupportedOperationException("no stats in these tests");
    }

    @Override
    public void close() {}
}
