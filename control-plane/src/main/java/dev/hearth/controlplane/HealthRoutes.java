package dev.hearth.controlplane;

import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import io.undertow.server.RoutingHandler;
import java.util.Map;

/** {@code GET /healthz}: 200 once every language's pool has been filled, 503 before. */
final class HealthRoutes {

    private final PoolManager pool;

    HealthRoutes(PoolManager pool) {
        this.pool = pool;
    }

    void register(RoutingHandler routes) {
        routes.get("/healthz", HttpServer.route(exchange -> {
            boolean ready = pool.warmedUp();
            PoolStats stats = pool.stats();
            Exchanges.sendJson(exchange, ready ? 200 : 503, Map.of(
                    "status", ready ? "ok" : "warming",
                    "prewarmed", stats.prewarmed(),
                    "warm", stats.warm(),
                    "busy", stats.busy()));
        }));
    }
}
