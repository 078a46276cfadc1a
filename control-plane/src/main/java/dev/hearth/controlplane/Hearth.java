package dev.hearth.controlplane;

import dev.hearth.controlplane.function.CodeStore;
import dev.hearth.controlplane.function.FunctionRoutes;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.invocation.InvocationLog;
import dev.hearth.controlplane.invocation.InvocationRoutes;
import dev.hearth.controlplane.invoke.AsyncInvocations;
import dev.hearth.controlplane.invoke.ConcurrencyLimiter;
import dev.hearth.controlplane.invoke.InvokeRoutes;
import dev.hearth.controlplane.store.Store;
import dev.hearth.controlplane.user.Authenticator;
import dev.hearth.controlplane.user.UserRoutes;
import dev.hearth.controlplane.user.UserStore;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.build.Builder;
import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.pool.WarmPool;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hearth process in embedded mode: the store, the pool manager (called in-process) and the
 * REST API, started in that order and stopped in reverse.
 */
public final class Hearth implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hearth.class);

    private final Store store;
    private final PoolManager pool;
    private final InvocationLog invocations;
    private final AsyncInvocations async;
    private final Functions functions;
    private final DockerEngine buildEngine;
    private final HttpServer server;

    private Hearth(Store store, PoolManager pool, InvocationLog invocations, AsyncInvocations async, Functions functions,
                   DockerEngine buildEngine, HttpServer server) {
        this.store = store;
        this.pool = pool;
        this.invocations = invocations;
        this.async = async;
        this.functions = functions;
        this.buildEngine = buildEngine;
        this.server = server;
    }

    public static Hearth start(HearthConfig config) throws IOException {
        Clock clock = Clock.systemUTC();
        Store store = Store.open(config.mongoUri(), config.dataDir());
        PoolManager pool = null;
        InvocationLog invocations = null;
        Functions functions = null;
        AsyncInvocations async = null;
        DockerEngine buildEngine = null;
        try {
            var code = new CodeStore(store.database());
            pool = WarmPool.start(config.pool(), code, clock);
            var users = new UserStore(store.database(), clock);
            var auth = new Authenticator(users);
            buildEngine = new DockerEngine(config.pool().dockerHost());
            if (!buildEngine.imageExists(config.builds().image())) {
                throw new IllegalStateException("builder image " + config.builds().image() + " is missing; './hearth up' builds it");
            }
            var builder = new Builder(new Builder.Settings(config.builds().image(), config.pool().nodeId(),
                    config.dataDir().resolve("builds"), config.dataDir().resolve("build-cache"), config.builds().caBundle(),
                    config.builds().timeout(), config.builds().memoryMb(), 2_000_000_000L), buildEngine);
            functions = new Functions(store.database(), code, config.limits(), pool, builder,
                    buildEngine.imageId(config.builds().image()), clock);
            var health = new HealthRoutes(pool);
            var userRoutes = new UserRoutes(users);
            var functionRoutes = new FunctionRoutes(functions, auth, config.limits().maxCodeBytes());
            invocations = new InvocationLog(store.database(), config.invocationRetention(), clock);
            var limiter = new ConcurrencyLimiter(config.limits().userConcurrency());
            async = new AsyncInvocations(store.database(), functions, pool, limiter, config.async(), clock);
            var invokeRoutes = new InvokeRoutes(functions, auth, pool, invocations, config.limits().maxEventBytes(),
                    limiter, async, clock);
            var invocationRoutes = new InvocationRoutes(invocations, async, functions, auth);
            HttpServer server = HttpServer.start(config.bind(), config.port(), config.workerThreads(), List.of(
                    health::register, userRoutes::register, functionRoutes::register, invokeRoutes::register,
                    invocationRoutes::register));
            log.info("Hearth listening on http://{}:{} (data {})", config.bind(), server.port(), config.dataDir());
            return new Hearth(store, pool, invocations, async, functions, buildEngine, server);
        } catch (IOException | RuntimeException e) {
            if (async != null) {
                async.close();
            }
            if (pool != null) {
                pool.close();
            }
            if (invocations != null) {
                invocations.close();
            }
            if (functions != null) {
                functions.close();
            }
            if (buildEngine != null) {
                buildEngine.close();
            }
            store.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public PoolManager pool() {
        return pool;
    }

    @Override
    public void close() {
        server.close();
        async.close();
        functions.close();
        pool.close();
        invocations.close();
        buildEngine.close();
        store.close();
        log.info("Hearth stopped");
    }
}
