package dev.hearth.controlplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes of request bodies buffered at once are bounded for the whole server: counted as
 * they arrive, released when the exchange ends; a body that would pass the budget gets a 503
 * with {@code Retry-After}, and the budget is whole again once the others are done.
 */
class BodyBudgetTest {

    @Test
    void reserve_refusesWhatDoesNotFit_andReleaseGivesItBack() {
        var budget = new BodyBudget(100);
        assertTrue(budget.reserve(60));
        assertFalse(budget.reserve(41));
        assertTrue(budget.reserve(40));
        budget.release(60);
        assertEquals(40, budget.used());
        assertTrue(budget.reserve(60));
    }

    @Test
    void aBodyPastTheServersBudget_is503_andTheBudgetReturnsAfterward() throws Exception {
        var http = new HttpSettings(2, 100, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10), 64 * 1024);
        try (var server = HttpServer.start("127.0.0.1", 0, http, List.of(routes -> routes.post("/take",
                HttpServer.route(1024 * 1024, exchange -> Exchanges.sendJson(exchange, 200,
                        Map.of("bytes", Exchanges.body(exchange, 1024 * 1024).length))))))) {
            try (var holder = new RawHttp(server.port(), Duration.ofSeconds(10))) {
                holder.write(RawHttp.head("POST", "/take", "Content-Length", String.valueOf(50 * 1024)));
                holder.write(new byte[40 * 1024]);
                Thread.sleep(300);

                RawHttp.Answer refused = RawHttp.send(server.port(), "POST", "/take", new byte[40 * 1024]);
                assertEquals(503, refused.status(), refused::toString);
                assertEquals("unavailable", refused.errorType());
                assertEquals("1", refused.headers().get("retry-after"));

                holder.write(new byte[10 * 1024]);
                RawHttp.Answer held = holder.read();
                assertEquals(200, held.status(), held::toString);
            }
            // The server gives the budget back once each exchange has ended, which may be a moment
            // after the client has read its answer: a few tries, bounded.
            RawHttp.Answer later = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                later = RawHttp.send(server.port(), "POST", "/take", "{}".repeat(20 * 1024).getBytes(StandardCharsets.UTF_8));
                if (later.status() != 503) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(200, later.status(), later::toString);
            assertEquals(40 * 1024, later.json().get("bytes").asInt());
        }
    }
}
