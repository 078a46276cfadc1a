package dev.hearth.controlplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.route.RouteTable.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    /** Routes whose value is their own "METHOD path" (prefixed with the host when there is one). */
    private static RouteTable<String> table(String... routes) {
        List<Entry<String>> entries = new ArrayList<>();
        for (String route : routes) {
            String[] parts = route.split(" ");
            String host = parts.length == 3 ? parts[0] : null;
            String method = parts[parts.length - 2];
            String path = parts[parts.length - 1];
            entries.add(new Entry<>(host, method, RoutePattern.parse(path), route));
        }
        return RouteTable.of(entries);
    }

    private static String value(RouteTable<String> table, String method, String path) {
        return table.match(null, method, path).map(RouteTable.Match::value).orElse(null);
    }

    private static Map<String, String> parameters(RouteTable<String> table, String path) {
        return table.match(null, "GET", path).orElseThrow().pathParameters();
    }

    @Test
    void literalOverParameterOverGreedy_atEachDepth() {
        var table = table("GET /a/b/c", "GET /a/b/{z}", "GET /a/{y}/c", "GET /a/{y}/{z}", "GET /a/{rest+}", "GET /{any+}");
        assertEquals("GET /a/b/c", value(table, "GET", "/a/b/c"));
        assertEquals("GET /a/b/{z}", value(table, "GET", "/a/b/x"));
        assertEquals("GET /a/{y}/c", value(table, "GET", "/a/q/c"));
        assertEquals("GET /a/{y}/{z}", value(table, "GET", "/a/q/x"));
        assertEquals("GET /a/{rest+}", value(table, "GET", "/a/q/x/more"));
        assertEquals("GET /a/{rest+}", value(table, "GET", "/a/q"));
        assertEquals("GET /{any+}", value(table, "GET", "/a"));
        assertEquals("GET /{any+}", value(table, "GET", "/other/x"));
    }

    @Test
    void literalFirstWalk_picksTheLiteralBranch_whenBothCouldMatch() {
        var table = table("GET /a/{x}/c", "GET /a/b/{y}");
        assertEquals("GET /a/b/{y}", value(table, "GET", "/a/b/c"));
        assertEquals(Map.of("y", "c"), parameters(table, "/a/b/c"));
    }

    @Test
    void walkBacksUp_whenTheLiteralBranchLeadsNowhere() {
        var table = table("GET /a/b/c", "GET /a/{x}/d");
        assertEquals("GET /a/{x}/d", value(table, "GET", "/a/b/d"));
        assertEquals(Map.of("x", "b"), parameters(table, "/a/b/d"));
        var deeper = table("GET /a/b/c/d/e", "GET /a/b/{p}/d/f", "GET /a/{x}/c/d/g", "GET /{w}/b/c/d/h");
        assertEquals("GET /a/b/c/d/e", value(deeper, "GET", "/a/b/c/d/e"));
        assertEquals("GET /a/b/{p}/d/f", value(deeper, "GET", "/a/b/c/d/f"));
        assertEquals("GET /a/{x}/c/d/g", value(deeper, "GET", "/a/b/c/d/g"));
        assertEquals("GET /{w}/b/c/d/h", value(deeper, "GET", "/a/b/c/d/h"));
        assertEquals(null, value(deeper, "GET", "/a/b/c/d/z"));
    }

    @Test
    void theLeftmostDifferenceDecides_aGreedyBelowALiteralBeatsAParameterAboveIt() {
        var table = table("GET /a/b/{p}/d/f", "GET /a/b/c/{rest+}");
        assertEquals("GET /a/b/c/{rest+}", value(table, "GET", "/a/b/c/d/f"));
        assertEquals(Map.of("rest", "d/f"), parameters(table, "/a/b/c/d/f"));
        assertEquals("GET /a/b/{p}/d/f", value(table, "GET", "/a/b/x/d/f"));
    }

    @Test
    void walkBacksUp_toAGreedyAbove_whenNothingDeeperMatches() {
        var table = table("GET /a/b/c", "GET /{all+}");
        assertEquals("GET /{all+}", value(table, "GET", "/a/b"));
        assertEquals(Map.of("all", "a/b"), parameters(table, "/a/b"));
    }

    @Test
    void exactMethodWinsOverAny_andAMethodMismatchBacksUp() {
        var table = table("ANY /x", "POST /x", "GET /a/b", "POST /a/{id}");
        assertEquals("POST /x", value(table, "POST", "/x"));
        assertEquals("ANY /x", value(table, "GET", "/x"));
        assertEquals("ANY /x", value(table, "FROB", "/x"));
        assertEquals("GET /a/b", value(table, "GET", "/a/b"));
        assertEquals("POST /a/{id}", value(table, "POST", "/a/b"));
        assertEquals(null, value(table, "DELETE", "/a/b"));
    }

    @Test
    void head_usesGet_whenThereIsNoHeadRoute() {
        assertEquals("GET /x", value(table("GET /x"), "HEAD", "/x"));
        assertEquals("HEAD /x", value(table("GET /x", "HEAD /x"), "HEAD", "/x"));
        assertEquals("GET /x", value(table("GET /x", "ANY /x"), "HEAD", "/x"));
        assertEquals("ANY /x", value(table("POST /x", "ANY /x"), "HEAD", "/x"));
        assertEquals(null, value(table("HEAD /x"), "GET", "/x"));
    }

    @Test
    void hostSpecificWins_evenOverAMoreSpecificHostlessPath() {
        var table = table("GET /users/me", "api.example.com GET /users/{id}", "Other.Example.com GET /users/me");
        assertEquals("api.example.com GET /users/{id}", table.match("API.Example.COM:8443", "GET", "/users/me").orElseThrow().value());
        assertEquals("Other.Example.com GET /users/me", table.match("other.example.com", "GET", "/users/me").orElseThrow().value());
        assertEquals("GET /users/me", table.match("third.example.com", "GET", "/users/me").orElseThrow().value());
        assertEquals("GET /users/me", table.match(null, "GET", "/users/me").orElseThrow().value());
        assertTrue(table.match("api.example.com", "GET", "/users/me/more").isEmpty());
        assertTrue(table.match("api.example.com", "POST", "/users/me").isEmpty());
    }

    @Test
    void hostKey_lowerCaseWithoutPort() {
        assertEquals("example.com", RouteTable.hostKey(" Example.COM:8080 "));
        assertEquals("[::1]", RouteTable.hostKey("[::1]:8080"));
        assertEquals("[::1]", RouteTable.hostKey("[::1]"));
        assertEquals(null, RouteTable.hostKey(" "));
        assertEquals(null, RouteTable.hostKey(null));
    }

    @Test
    void aHostWithItsTrailingDot_isThatHost_notAnotherUsersHostlessRoute() {
        // "shop.example.com." is the same DNS name: its route, not whoever holds the host-less one.
        var table = table("ANY /{proxy+}", "shop.example.com GET /cart");
        assertEquals("shop.example.com GET /cart", table.match("Shop.Example.com.", "GET", "/cart").orElseThrow().value());
        assertEquals("shop.example.com GET /cart", table.match("shop.example.com.:8080", "GET", "/cart").orElseThrow().value());
        assertEquals("example.com", RouteTable.hostKey("example.com.:80"));
        assertEquals(null, RouteTable.hostKey("."));
    }

    @Test
    void parameters_decodedPerSegment_greedyTakesTheRestDecoded() {
        var table = table("GET /hello/{name}/files/{path+}");
        var match = table.match(null, "GET", "/hello/J%C3%BCrgen%20K/files/a%20b/c%2Fd/e.png").orElseThrow();
        assertEquals(List.of("name", "path"), List.copyOf(match.pathParameters().keySet()));
        assertEquals("Jürgen K", match.pathParameters().get("name"));
        assertEquals("a b/c/d/e.png", match.pathParameters().get("path"));
        assertEquals("GET /hello/{name}/files/{path+}", match.entry().routeKey());
        assertEquals(Map.of(), table("GET /plain").match(null, "GET", "/plain").orElseThrow().pathParameters());
    }

    @Test
    void literals_matchAfterDecoding_andAreCaseSensitive() {
        var table = table("GET /b%20c", "GET /caf%C3%A9");
        assertEquals("GET /b%20c", value(table, "GET", "/b%20c"));
        assertEquals("GET /caf%C3%A9", value(table, "GET", "/caf%c3%a9"));
        assertEquals(null, value(table("GET /aA"), "GET", "/aa"));
        assertEquals("GET /aA", value(table("GET /aA"), "GET", "/a%41"));
    }

    @Test
    void greedy_needsAtLeastOneSegment_andRootIsItsOwnRoute() {
        var table = table("GET /files/{rest+}");
        assertEquals(null, value(table, "GET", "/files"));
        assertEquals(null, value(table(("GET /{rest+}")), "GET", "/"));
        assertEquals("GET /", value(table("GET /", "GET /{rest+}"), "GET", "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "//", "/a//b", "/a/", "/a/./b", "/a/../b", "/a/%2e%2E/b", "/a/%2E", "/a/%zz",
            "/a/%C3", "/a/\u00e9", "/v1/x", "/V1", "/%76%31/x", "/metrics", "/fn/abc/x", "/Console/x", "/2015-03-31/x"})
    void badOrReservedRequestPaths_neverMatch(String path) {
        var table = table("ANY /{all+}", "ANY /", "ANY /{x}");
        assertTrue(table.match(null, "GET", path).isEmpty(), path);
        assertTrue(table.match(null, "GET", null).isEmpty());
    }

    @Test
    void noMatch_isEmpty() {
        var table = table("GET /a/{x}", "POST /b");
        assertTrue(table.match(null, "GET", "/c").isEmpty());
        assertTrue(table.match(null, "GET", "/a/x/y").isEmpty());
        assertTrue(table.match(null, "GET", "/a").isEmpty());
        assertTrue(table.match(null, "GET", "/b").isEmpty());
        assertTrue(RouteTable.<String>empty().match(null, "GET", "/a").isEmpty());
    }

    @Test
    void sameHostMethodAndShape_isRefused_butOtherHostsOrMethodsAreNot() {
        var e = assertThrows(IllegalArgumentException.class, () -> table("GET /a/{x}", "GET /a/{y}"));
        assertEquals("two routes with one host, method and shape: GET /a/{x} and GET /a/{y}", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> table("h.example GET /a/{x+}", "H.EXAMPLE:80 GET /a/{y+}"));
        assertEquals(4, table("GET /a/{x}", "POST /a/{y}", "h GET /a/{y}", "GET /a/{y+}").size());
    }

    @Test
    void entry_checksAndUpperCasesItsMethod() {
        assertEquals("GET", new Entry<>(null, "get", RoutePattern.parse("/a"), "v").method());
        assertThrows(ApiException.class, () -> new Entry<>(null, "TRACE", RoutePattern.parse("/a"), "v"));
    }

    @Test
    void tenThousandRoutes_matchAndBuildQuickly() {
        List<Entry<Integer>> entries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String path = switch (i % 4) {
                case 0 -> "/svc" + i + "/users/{id}";
                case 1 -> "/svc" + i + "/users/{id}/orders/{order}";
                case 2 -> "/static" + i + "/{path+}";
                default -> "/{tenant}/svc" + i;
            };
            entries.add(new Entry<>(i % 10 == 0 ? "h" + i + ".example" : null, "GET", RoutePattern.parse(path), i));
        }
        RouteTable<Integer> table = RouteTable.of(entries);
        assertEquals(10_000, table.size());
        assertEquals(1, table.match(null, "GET", "/svc1/users/7/orders/9").orElseThrow().value());
        assertEquals(Map.of("tenant", "acme"), table.match(null, "GET", "/acme/svc9999").orElseThrow().pathParameters());
        assertEquals(20, table.match("h20.example", "GET", "/svc20/users/1").orElseThrow().value());
        assertTrue(table.match(null, "GET", "/svc20/users/1").isEmpty());
        assertEquals(Map.of("path", "x/y.css"), table.match(null, "GET", "/static9998/x/y.css").orElseThrow().pathParameters());
    }
}
