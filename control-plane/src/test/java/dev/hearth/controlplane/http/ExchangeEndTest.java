package dev.hearth.controlplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A route runs on a worker thread, but its answer is written and its exchange ended on the
 * connection's IO thread ({@link Exchanges#send}, {@link Exchanges#end}), answers with a body and
 * without one, errors too; and a keep-alive connection goes on taking requests after each.
 */
class ExchangeEndTest {

    private final Set<String> routeThreads = ConcurrentHashMap.newKeySet();
    private final Set<String> endThreads = ConcurrentHashMap.newKeySet();

    private HttpServer start() {
        var http = new HttpSettings(2, 100, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 64L * 1024 * 1024);
        return HttpServer.start("127.0.0.1", 0, http, List.of(routes -> routes
                .post("/json", HttpServer.route(1024, exchange -> {
                    watch(exchange);
                    Exchanges.sendJson(exchange, 200, Map.of("bytes", Exchanges.body(exchange, 1024).length));
                }))
                .get("/none", HttpServer.route(exchange -> {
                    watch(exchange);
                    Exchanges.noContent(exchange);
                }))
                .get("/refused", HttpServer.route(exchange -> {
                    watch(exchange);
                    throw ApiException.conflict("not now");
                }))));
    }

    private void watch(HttpServerExchange exchange) {
        routeThreads.add(Thread.currentThread().getName());
        exchange.addExchangeCompleteListener((ex, next) -> {
            endThreads.add(Thread.currentThread().getName());
            next.proceed();
        });
    }

    @Test
    void answersFromAWorker_areEndedOnTheIoThread_andTheConnectionTakesTheNextRequest() throws IOException {
        try (var server = start(); var client = new RawHttp(server.port(), Duration.ofSeconds(30))) {
            for (int i = 0; i < 50; i++) {
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                client.write(RawHttp.head("POST", "/json", "Content-Length", String.valueOf(body.length)));
                client.write(body);
                var json = client.read();
                assertEquals(200, json.status(), json::toString);
                assertEquals(body.length, json.json().get("bytes").asInt(), json::toString);

                client.write(RawHttp.head("GET", "/none"));
                var none = client.read();
                assertEquals(204, none.status(), none::toString);

                client.write(RawHttp.head("GET", "/refused"));
                var refused = client.read();
                assertEquals(409, refused.status(), refused::toString);
                assertEquals("conflict", refused.errorType(), refused::toString);
            }
        }
        assertTrue(routeThreads.stream().noneMatch(ExchangeEndTest::ioThread), "routes ran on workers: " + routeThreads);
        assertTrue(!endThreads.isEmpty() && endThreads.stream().allMatch(ExchangeEndTest::ioThread), "ended on " + endThreads);
    }

    private static boolean ioThread(String name) {
        return name.contains("I/O");
    }
}
