package dev.hearth.controlplane.http;

import io.undertow.server.HttpServerExchange;

/**
 * One REST endpoint's logic, run on a worker thread in blocking mode. Registered through
 * {@link HttpServer#route}, the one place where exceptions become JSON errors.
 */
@FunctionalInterface
public interface Route {
    void handle(HttpServerExchange exchange) throws Exception;
}
