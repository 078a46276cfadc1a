package dev.hearth.controlplane;

import dev.hearth.controlplane.function.CodeStore;
import dev.hearth.controlplane.function.FunctionRoutes;
import dev.hearth.controlplane.function.VersionRoutes;
import dev.hearth.controlplane.route.PublicEndpoints;
import dev.hearth.controlplane.route.RouteApi;
import dev.hearth.controlplane.route.RouteChanges;
import dev.hearth.controlplane.route.Routes;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.function.FunctionChanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.async.AsyncInvocations;
import dev.hearth.controlplane.call.ConcurrencyLimiter;
import dev.hearth.controlplane.invocation.InvocationLog;
import dev.hearth.controlplane.invocation.InvocationRoutes;
import dev.hearth.controlplane.invoke.InvokeRoutes;
import dev.hearth.controlplane.invoke.SyncCalls;
import dev.hearth.controlplane.lambda.LambdaInvokeRoutes;
import dev.hearth.controlplane.store.DataFolder;
import dev.hearth.controlplane.stream.InvocationNotices;
import dev.hearth.controlplane.stream.LogFollowing;
import dev.hearth.controlplane.stream.LogRoutes;
import dev.hearth.controlplane.stream.Streams;
import dev.hearth.controlplane.store.Store;
import dev.hearth.controlplane.user.AccessKeyRoutes;
import dev.hearth.controlplane.user.AccessKeys;
import dev.hearth.controlplane.user.Accounts;
import dev.hearth.poolmanager.host.HostAccounts;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.build.Builder;
import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.docker.EgressNetwork;
import dev.hearth.poolmanager.pool.LocalPoolManager;
import dev.hearth.poolmanager.nats.CodeTransfer;
import dev.hearth.poolmanager.nats.NatsLink;
import dev.hearth.poolmanager.nats.NatsPoolManager;
import io.nats.client.Connection;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hearth control plane: the store, the pool manager and the REST API, started in that order
 * and stopped in reverse. In embedded mode the pool manager runs in this process and async
 * invocations queue in the store; in distributed mode ({@code HEARTH_NATS_URL}) calls go over
 * NATS to pool-manager nodes, this process serves them code archives, and async invocations
 * queue on JetStream.
 */
public final class Hearth implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hearth.class);

    private final Store store;
    private final PoolManager pool;
    private final HttpServer server;
    /** Everything started, last first: closing them in this order stops the process cleanly. */
    private final Deque<AutoCloseable> started;

    private Hearth(Store store, PoolManager pool, HttpServer server, Deque<AutoCloseable> started) {
        this.store = store;
        this.pool = pool;
        this.server = server;
        this.started = started;
    }

    public static Hearth start(HearthConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    /** With a clock of the caller's: tests move time forward (token expiry) without waiting. */
    static Hearth start(HearthConfig config, Clock clock) throws IOException {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            DataFolder.ownerOnlyFolder(config.dataDir());
            Store store = Store.open(config.mongoUri(), config.dataDir());
            started.push(store);
            Connection nats = null;
            if (config.distributed()) {
                nats = NatsLink.connect(config.natsUrl(), "hearth-control-plane-" + config.pool().nodeId(), NatsLink.WAIT_AT_START, System::nanoTime);
                started.push(nats);
            }
            var code = new CodeStore(store.database(), clock);
            PoolManager pool = nats == null ? LocalPoolManager.start(config.pool(), code, clock) : NatsPoolManager.start(nats, NatsLink.DEAD_AFTER);
            started.push(pool);
            if (nats != null) {
                started.push(CodeTransfer.serve(nats, code));
            }
            // With a MongoDB URI other control planes may share the store: revocations must reach them through it.
            var accounts = Accounts.start(store.database(), config.auth(), config.mongoUri() != null, clock);
            started.push(accounts);
            var auth = accounts.authenticator();
            HostAccounts.requireUnused(config.pool().containerUid(), config.pool().hostEtc());
            DockerEngine buildEngine = new DockerEngine(config.pool().dockerHost(), config.pool().containerUid(), System::nanoTime);
            started.push(buildEngine);
            if (!buildEngine.imageExists(config.builds().image())) {
                throw new IllegalStateException("builder image " + config.builds().image() + " is missing; './hearth up' builds it");
            }
            // Builders run tenants' build scripts: they join the sealed egress network (again, in embedded mode: idempotent).
            EgressNetwork.ensure(buildEngine, config.pool().egress());
            var builder = new Builder(new Builder.Settings(config.builds().image(), config.pool().nodeId(),
                    config.dataDir().resolve("builds"), config.dataDir().resolve("build-cache"), config.builds().caBundle(),
                    config.builds().timeout(), config.builds().memoryMb(), 2_000_000_000L, config.pool().containerUid(),
                    config.pool().egress().network(), config.builds().diskMb()), buildEngine);
            var functions = new Functions(store.database(), code, config.limits(), config.storage(), config.builds(), config.pool().shares().userMaxMinWarm(), pool, builder,
                    buildEngine.imageId(config.builds().image()), clock);
            started.push(functions);
            if (nats != null) {
                started.push(FunctionChanges.join(nats, functions));
            }
            var invocations = new InvocationLog(store.database(), config.invocationRetention(), clock);
            started.push(invocations);
            var limiter = new ConcurrencyLimiter(config.limits().userConcurrency());
            var async = nats == null
                    ? AsyncInvocations.inStore(store.database(), functions, pool, limiter, config.async(), clock)
                    : AsyncInvocations.onJetStream(nats, store.database(), functions, pool, limiter, config.async(), clock);
            started.push(async);
            var health = new HealthRoutes(pool);
            var streams = new Streams();
            started.push(streams);
            var functionRoutes = new FunctionRoutes(functions, auth, config.limits().maxCodeBytes(), streams);
            var logFollowing = new LogFollowing(functions, invocations, async, streams);
            if (nats != null) {
                started.push(InvocationNotices.join(nats, invocations, async, logFollowing));
            }
            var logRoutes = new LogRoutes(functions, logFollowing, auth);
            var calls = new SyncCalls(pool, invocations, limiter, clock, System::nanoTime);
            var invokeRoutes = new InvokeRoutes(functions, auth, calls, async, config.limits().maxEventBytes(), clock,
                    System::nanoTime);
            var accessKeys = AccessKeys.open(store.database(), config.dataDir(), clock);
            var accessKeyRoutes = new AccessKeyRoutes(accessKeys, auth);
            var lambdaRoutes = new LambdaInvokeRoutes(functions, accessKeys, calls, async, config.limits().maxEventBytes(), clock,
                    System::nanoTime);
            var invocationRoutes = new InvocationRoutes(invocations, async, functions, auth);
            var versionRoutes = new VersionRoutes(functions, auth);
            var routes = new Routes(store.database(), functions, config.routes(), clock);
            if (nats != null) {
                started.push(RouteChanges.join(nats, routes));
            }
            var routeApi = new RouteApi(routes, auth);
            var publicEndpoints = new PublicEndpoints(routes, functions, auth, calls, config.limits().maxEventBytes(), clock,
                    System::nanoTime);
            HttpServer server = HttpServer.start(config.bind(), config.port(), config.http(), List.of(
                    health::register, accounts::register, functionRoutes::register, invokeRoutes::register,
                    invocationRoutes::register, versionRoutes::register, routeApi::register, accessKeyRoutes::register,
                    lambdaRoutes::register, logRoutes::register, publicEndpoints::register));
            started.push(server);
            log.info("Hearth {} listening on http://{}:{} (data {})", nats == null ? "(embedded)" : "control plane "
                    + config.pool().nodeId() + " on NATS", config.bind(), server.port(), config.dataDir());
            return new Hearth(store, pool, server, started);
        } catch (io.nats.client.JetStreamApiException e) {
            closeAll(started);
            throw new IOException("JetStream refused the async stream (is JetStream enabled on the server?): " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", next.getClass().getSimpleName(), e.getMessage());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public int port() {
        return server.port();
    }

    /** The embedded store's loopback port (empty with {@code HEARTH_MONGO_URI}), for tests that attack it. */
    java.util.OptionalInt storePort() {
        return store.embeddedPort();
    }

    public PoolManager pool() {
        return pool;
    }

    @Override
    public void close() {
        closeAll(started);
        log.info("Hearth stopped");
    }
}
