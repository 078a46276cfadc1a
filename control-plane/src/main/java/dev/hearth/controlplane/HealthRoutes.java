package dev.hearth.controlplane;

import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.nats.NatsPoolManager;
import io.undertow.server.RoutingHandler;
import java.util.Map;

/**
 * {@code GET /healthz}: 200 once every language's pool has been filled (in distributed mode: once
 * some node's pools have), 503 before; the counts of containers, and the live nodes a control
 * plane sees.
 */
final class HealthRoutes {

    private final PoolManager pool;

    HealthRoutes(PoolManager pool) {
        this.pool = pool;
    }

    void register(RoutingHandler routes) {
        routes.get("/healthz", HttpServer.route(exchange -> {
            boolean ready = pool.warmedUp();
            PoolStats stats = pool.stats();
            Map<String, Object> health = new java.util.LinkedHashMap<>();
            health.put("status", ready ? "ok" : "warming");
            health.put("prewarmed", stats.prewarmed());
            health.put("starting", stats.starting());
            health.put("warm", stats.warm());
            health.put("busy", stats.busy());
            if (pool instanceof NatsPoolManager nats) {
                health.put("nodes", new java.util.TreeSet<>(nats.liveNodes()));
            }
            Exchanges.sendJson(exchange, ready ? 200 : 503, health);
        }));
    }
}
