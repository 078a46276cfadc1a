package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.code.ArchiveException;
import dev.hearth.poolmanager.docker.ContainerSpec;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a container ready for one function version when it has no idle warm one: a pre-started
 * container given to the function's owner, resized to the function's memory where the runtime
 * follows a resize, and specialized ({@code pool}); or one started for it ({@code cold}); or an
 * {@code http} image function's own server. Room comes from {@link Fleet}, which refuses a full
 * node. What happens to the container afterwards is {@link CallRunner}'s: it runs the call and
 * gives the container back to its {@link WarmSet} or removes it.
 */
final class Starter {

    private static final Logger log = LoggerFactory.getLogger(Starter.class);

    private final PoolConfig config;
    private final PrewarmedPools prewarmed;
    private final Fleet fleet;
    private final Specializer specializer;

    Starter(PoolConfig config, PrewarmedPools prewarmed, Fleet fleet, Specializer specializer) {
        this.config = config;
        this.prewarmed = prewarmed;
        this.fleet = fleet;
        this.specializer = specializer;
    }

    /**
     * A container ready to run the function, and how it came to be; or, when making one failed
     * for a reason that is the function's, that failure.
     */
    record Ready(ContainerHandle container, StartKind kind, Outcome failure) {
        static Ready failed(StartKind kind, Outcome failure) {
            return new Ready(null, kind, failure);
        }
    }

    /** For a call waiting for the container. */
    Ready start(FunctionSpec function, Runnable roomFound) throws InterruptedException {
        return start(function, Demand.call(function.owner(), roomFound));
    }

    Ready start(FunctionSpec function, Demand demand) throws InterruptedException {
        if (function.workload() instanceof Workload.Image image) {
            return startImage(function, image, demand);
        }
        return specialize(function, (Workload.Source) function.workload(), demand);
    }

    /** An {@code http} image function's own container, started for it; ready once its server answers. */
    private Ready startImage(FunctionSpec function, Workload.Image image, Demand demand) throws InterruptedException {
        var template = new ContainerFactory.Template(image.reference(), ContainerFactory.IMAGE_KIND, ImageEnv.of(function),
                function.owner());
        try {
            return new Ready(fleet.startFor(template, function.memoryMb(), function.egress(), demand), StartKind.COLD, null);
        } catch (TimeoutException e) {
            return Ready.failed(StartKind.COLD, new Outcome.Crashed("the image's server did not answer GET /healthz on "
                    + ContainerSpec.MOUNT_POINT + "/agent.sock within " + config.readyTimeout().toSeconds() + " s"));
        } catch (IOException e) {
            // Hearth's own words: the container's exit status and what it printed, the owner's to see.
            return Ready.failed(StartKind.COLD, new Outcome.Crashed("the image's container did not start: " + e.getMessage()));
        }
    }

    /**
     * Hot-loads a source function into a pre-started container, or a fresh one when none fits.
     * A pre-started container that fails before its function is loaded says nothing about the
     * function: it is replaced by a cold one once. A second failure is the function's.
     */
    private Ready specialize(FunctionSpec function, Workload.Source source, Demand demand) throws InterruptedException {
        Language language = source.language();
        if (!prewarmed.serves(language)) {
            throw PoolException.unavailable("no " + language.id() + " runtime is configured on this node");
        }
        ContainerHandle pooled = prewarmed.fits(function, language) ? prewarmed.take(language, function.key()) : null;
        boolean fromPool = pooled != null;
        if (fromPool) {
            // Before the function's code is linked or loaded: its module-level code already runs at the user's weight.
            fleet.assign(pooled, function.owner());
            demand.roomFound().run();
        }
        ContainerHandle container = fromPool ? pooled : startCold(function, language, demand);
        for (int attempt = 1; ; attempt++) {
            StartKind kind = fromPool && attempt == 1 ? StartKind.POOL : StartKind.COLD;
            try {
                container = fitMemory(container, function, demand);
                specializer.specialize(container, function, source);
                return new Ready(container, kind, null);
            } catch (Specializer.InitFailed e) {
                fleet.discard(container);
                return Ready.failed(kind, new Outcome.FunctionError(e.reply.body()));
            } catch (TimeoutException e) {
                fleet.discard(container);
                return Ready.failed(kind, Outcome.FunctionError.of("Runtime.InitTimeout",
                        "loading the function took longer than " + Specializer.INIT_TIMEOUT.toMillis() + " ms"));
            } catch (PoolException e) {
                fleet.discard(container);
                throw e;
            } catch (ArchiveException e) {
                fleet.discard(container);
                throw new PoolException("the function's code archive is unusable: " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                fleet.discard(container);
                if (attempt > 1 || !fromPool) {
                    // What went wrong may name host paths: the log has it, the caller gets Hearth's words.
                    log.warn("loading {} into container {} failed: {}", function.name(), container.id(), e.toString());
                    if (e instanceof RuntimeException runtime) {
                        throw new PoolException("this node could not load the function into a container", runtime);
                    }
                    return Ready.failed(kind, new Outcome.Crashed("the container failed while loading the function"));
                }
                log.warn("pre-started {} container {} failed before init ({}); starting a fresh one",
                        language.id(), container.id(), e.getMessage());
                container = startCold(function, language, demand);
            }
        }
    }

    private ContainerHandle startCold(FunctionSpec function, Language language, Demand demand) throws InterruptedException {
        try {
            return fleet.startFor(fleet.runtime(language).ownedBy(function.owner()), function.memoryMb(), function.egress(), demand);
        } catch (IOException | TimeoutException e) {
            // ContainerFactory words its failures itself (exit status, the container's own output).
            throw new PoolException("cannot start a " + language.id() + " container: " + e.getMessage(), e);
        }
    }

    /** Pre-started containers take the function's memory limit, where the runtime follows a resize. */
    private ContainerHandle fitMemory(ContainerHandle container, FunctionSpec function, Demand demand) {
        Language language = ((Workload.Source) function.workload()).language();
        if (container.memoryMb() == function.memoryMb() || !language.resizable()) {
            return container;
        }
        return fleet.resize(container, function.memoryMb(), demand);
    }
}
