package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.hearth.controlplane.fair.FairQueue;
import dev.hearth.controlplane.fair.FairScheduler;
import dev.hearth.poolmanager.build.Builder;
import dev.hearth.poolmanager.support.Digests;
import java.io.InputStream;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds functions' code in the background ({@code building → ready | failed}). Builds are
 * content-addressed per owner: the key is the owner, the source digest, the language and the
 * builder image, and a key built once is never built again (its output digest is kept in the
 * {@code builds} collection); two identical builds at once share one run. The owner is part of
 * the key because a build runs tenant code: an output (and its log) is only ever reused for
 * the owner whose build made it, so nobody learns that another user uploaded the same source.
 * Functions still building when the process stopped are built again at start. Reusing an output
 * touches it, so the archive sweep leaves it; an output already swept is built again. An output
 * that would take its owner past the code quota fails the build.
 *
 * <p>Builds take turns fairly ({@link FairScheduler}, as async work does): this control plane's
 * build slots are shared round robin between users, each running at most its own few at once, so
 * one user's queue of slow builds delays another user's build by one slot's turn at most. A build
 * waits {@code queued} until its turn; a newer definition of the function replaces its queued
 * build, and a build whose version is no longer the one waiting (redefined, deleted) is not run.
 * Each step, and each line the builder prints, is told to {@link LiveBuilds} for those who follow
 * the build live.
 */
final class FunctionBuilds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FunctionBuilds.class);

    private final FunctionStore store;
    private final CodeStore code;
    private final Builder builder;
    private final String builderImage;
    private final Clock clock;
    private final Consumer<FunctionRecord> finished;
    private final Quotas quotas;
    private final MongoCollection<Document> builds;
    private final FairScheduler<String> slots;
    private final Map<String, CompletableFuture<Output>> inFlight = new ConcurrentHashMap<>();
    private final LiveBuilds live;

    /** One function's build waiting for a slot: a newer one of the same function replaces it. */
    private record Queued(String functionId, Runnable build) implements Runnable {
        @Override
        public void run() {
            build.run();
        }
    }

    /** What a build leaves behind: the digest of its output, or null when it failed, and its log. */
    private record Output(String digest, long size, String log) {}

    /**
     * @param slots     builds this control plane runs at once
     * @param userSlots builds of one user it runs at once
     */
    FunctionBuilds(MongoDatabase database, FunctionStore store, CodeStore code, Quotas quotas, Builder builder,
                   String builderImage, int slots, int userSlots, Clock clock, LiveBuilds live, Consumer<FunctionRecord> finished) {
        // The queue needs no bound of its own: a user has one queued build per function at most.
        this.slots = new FairScheduler<>("function-build", slots,
                new FairQueue.Limits(userSlots, Integer.MAX_VALUE, Integer.MAX_VALUE));
        this.quotas = quotas;
        this.store = store;
        this.code = code;
        this.builder = builder;
        this.builderImage = builderImage;
        this.clock = clock;
        this.finished = finished;
        this.live = live;
        this.builds = database.getCollection("builds");
    }

    /** Queues the build of the function's version; one of the same function still waiting is superseded. */
    void submit(FunctionRecord function) {
        if (cancelQueued(function) > 0) {
            log.info("build of {} of {} superseded by version {} before it started", function.name(), function.owner(),
                    function.version());
        }
        live.queued(function);
        slots.submit(function.owner(), new Queued(function.id(), () -> run(function)));
    }

    /**
     * The function was deleted: its queued build goes, so deleting and creating again cannot pile
     * up builds past the owner's function count. A running one ends and its result is dropped.
     */
    void cancel(FunctionRecord deleted) {
        cancelQueued(deleted);
        live.deleted(deleted, BuildFollowing.error(Functions.notFound(deleted.name())));
    }

    private int cancelQueued(FunctionRecord function) {
        return slots.cancel(function.owner(), task -> task instanceof Queued queued && queued.functionId().equals(function.id()));
    }

    /**
     * Builds again what this control plane was building when it stopped. Builds another control
     * plane runs (several may share one store) are left to it; it resumes them itself if it stops.
     */
    void resumeInterrupted() {
        for (FunctionRecord function : store.building()) {
            if (function.build() != null && !function.build().resumedBy(builder.nodeId())) {
                continue;
            }
            log.info("building {} of {} again: the previous run stopped during its build", function.name(), function.owner());
            submit(function);
        }
    }

    private void run(FunctionRecord function) {
        BuildInfo started = function.build().started(clock.instant());
        if (!store.startBuild(function.id(), function.version(), started)) {
            log.info("build of {} version {} of {} not run: the function was redefined or deleted meanwhile",
                    function.name(), function.version(), function.owner());
            live.dropped(function);
            return;
        }
        live.started(function);
        String key = key(function);
        Document cached = builds.find(eq("_id", key)).first();
        if (cached != null && !code.touch(cached.getString("outputSha256"))) {
            // The sweep took the output: the entry is stale.
            builds.deleteOne(eq("_id", key));
            cached = null;
        }
        boolean reused = cached != null;
        Output output;
        if (reused) {
            output = new Output(cached.getString("outputSha256"), cached.get("outputSize", Number.class).longValue(),
                    cached.getString("log") + "[hearth] reused the output of an identical earlier build\n");
        } else {
            CompletableFuture<Output> mine = new CompletableFuture<>();
            CompletableFuture<Output> running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                try {
                    mine.complete(buildNow(function, key));
                } catch (InterruptedException e) {
                    // Shutting down: the function stays 'building' and is built again at the next start.
                    mine.completeExceptionally(e);
                    Thread.currentThread().interrupt();
                    live.dropped(function);
                    return;
                } finally {
                    inFlight.remove(key);
                }
                running = mine;
            }
            try {
                output = running.join();
            } catch (java.util.concurrent.CompletionException e) {
                live.dropped(function);
                return;
            }
        }
        Output result = output;
        FunctionRecord done = quotas.locked(function.owner(), () -> {
            FunctionRecord record = finish(function, started, result, reused);
            return store.finishBuild(record) ? record : null;
        });
        if (done != null) {
            log.info("build of {} ({}) {}", function.name(), function.source().language().id(), done.build().status());
            live.finished(done);
            finished.accept(done);
        } else {
            live.dropped(function);
        }
    }

    /** The function as its build leaves it; a successful build past the owner's code quota counts as failed. */
    private FunctionRecord finish(FunctionRecord function, BuildInfo started, Output output, boolean reused) {
        var now = clock.instant();
        if (output.digest() != null) {
            var info = started.ended(true, output.log(), now, reused);
            FunctionRecord built = function.built(FunctionRecord.Status.READY, output.digest(), output.size(), info);
            var refusal = quotas.refusesBuild(built);
            if (refusal.isEmpty()) {
                return built;
            }
            output = new Output(null, 0, output.log() + "[hearth] " + refusal.get() + "; the function does not get it\n");
        }
        var info = started.ended(false, output.log(), now, reused);
        return function.built(FunctionRecord.Status.FAILED, null, 0, info);
    }

    /** The archive {@code digest} was swept: builds that made it can no longer be reused. */
    void outputGone(String digest) {
        builds.deleteMany(eq("outputSha256", digest));
    }

    private Output buildNow(FunctionRecord function, String key) throws InterruptedException {
        try (InputStream source = code.open(function.source().sourceSha256())) {
            Builder.Result result = builder.build(function.owner(), function.source().language(), source, live.lines(function));
            if (!result.succeeded()) {
                return new Output(null, 0, result.log());
            }
            String digest = code.put(result.output());
            try {
                builds.insertOne(new Document("_id", key).append("outputSha256", digest)
                        .append("outputSize", (long) result.output().length)
                        .append("log", result.log()).append("finishedAt", Date.from(clock.instant())));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            return new Output(digest, result.output().length, result.log());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // The reason may name host paths or the engine's words: the log has it, the owner gets Hearth's.
            log.warn("build of {} could not run", function.name(), e);
            return new Output(null, 0, "[hearth] the build could not run on this node (the platform's failure, not the code's); "
                    + "try again, or ask the operator\n");
        }
    }

    private String key(FunctionRecord function) {
        var source = function.source();
        String material = function.owner() + "\n" + source.language().id() + "\n" + source.sourceSha256() + "\n" + builderImage;
        return Digests.sha256Hex(material);
    }

    @Override
    public void close() {
        slots.close();
    }
}
