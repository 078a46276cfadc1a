package dev.hearth.controlplane.http;

import io.undertow.server.HttpServerExchange;

/**
 * One REST endpoint's logic, run on a worker thread once its request body has arrived in full
 * ({@link Exchanges#body}). Registered through {@link HttpServer#route}, the one place where
 * exceptions become JSON errors. The exchange is not in blocking mode: answer through
 * {@link Exchanges}, whose sends never block.
 */
@FunctionalInterface
public interface Route {
    void handle(HttpServerExchange exchange) throws Exception;
}
