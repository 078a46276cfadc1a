package dev.hearth.controlplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.route.RoutePattern.Kind;
import dev.hearth.controlplane.route.RoutePattern.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePatternTest {

    private static String refusal(String path) {
        ApiException e = assertThrows(ApiException.class, () -> RoutePattern.parse(path));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void parse_literalsParametersAndAGreedyLast() {
        RoutePattern pattern = RoutePattern.parse("/hello/{name}/x/{proxy+}");
        assertEquals(List.of(new Segment(Kind.LITERAL, "hello"), new Segment(Kind.PARAM, "name"),
                new Segment(Kind.LITERAL, "x"), new Segment(Kind.GREEDY, "proxy")), pattern.segments());
        assertEquals("/hello/{name}/x/{proxy+}", pattern.path());
        assertEquals("/hello/{}/x/{+}", pattern.normalized());
    }

    @Test
    void parse_root_hasNoSegments() {
        assertEquals(List.of(), RoutePattern.parse("/").segments());
        assertEquals("/", RoutePattern.parse("/").normalized());
    }

    @Test
    void normalized_erasesNames_andEncodesLiteralsOneWay() {
        assertEquals(RoutePattern.parse("/a/{x}/{rest+}").normalized(), RoutePattern.parse("/a/{y}/{other+}").normalized());
        assertEquals("/aA/b%20c/%7B%7D", RoutePattern.parse("/a%41/b%20c/%7b%7D").normalized());
        assertEquals(RoutePattern.parse("/caf%C3%A9").normalized(), RoutePattern.parse("/caf%c3%a9").normalized());
        assertNotEquals(RoutePattern.parse("/a%2Fb").normalized(), RoutePattern.parse("/a/b").normalized());
        assertNotEquals(RoutePattern.parse("/%7B%7D").normalized(), RoutePattern.parse("/{x}").normalized());
        assertEquals("a", RoutePattern.parse("/a").segments().get(0).value());
        assertEquals("b c", RoutePattern.parse("/b%20c").segments().get(0).value());
    }

    @Test
    void parse_allowsEveryPathCharacter() {
        String path = "/az-AZ09._~!$&'()*+,;=:@%20";
        assertEquals(1, RoutePattern.parse(path).segments().size());
    }

    @Test
    void parse_refusesAMissingOrRelativePath() {
        assertEquals("route path is required", refusal(null));
        assertEquals("route path is required", refusal(""));
        assertEquals("route path must start with '/'", refusal("hello"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"//", "/a//b", "/a/", "/a/b/", "//a"})
    void parse_refusesEmptySegments(String path) {
        assertEquals("route path has an empty segment ('//' or a trailing '/')", refusal(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a{b}", "/{b}c", "/{b", "/b}", "/{{b}}", "/{a}{b}", "/x}{"})
    void parse_refusesABraceThatIsNotAWholeParameter(String path) {
        assertEquals("route path segment with a '{' or '}' must be a whole {name} or {name+}", refusal(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/{}", "/{+}", "/{1a}", "/{a-b}", "/{a++}", "/{é}", "/{a b}"})
    void parse_refusesABadParameterName(String path) {
        assertEquals("route path parameter name must match [A-Za-z_][A-Za-z0-9_]{0,63}", refusal(path));
    }

    @Test
    void parse_parameterNames_upTo64Characters() {
        String name = "_" + "a".repeat(63);
        assertEquals(name, RoutePattern.parse("/{" + name + "}").segments().get(0).value());
        assertEquals("route path parameter name must match [A-Za-z_][A-Za-z0-9_]{0,63}", refusal("/{" + name + "a}"));
    }

    @Test
    void parse_refusesTwoParametersWithOneName() {
        assertEquals("route path has two parameters named 'id'", refusal("/a/{id}/b/{id}"));
        assertEquals("route path has two parameters named 'id'", refusal("/a/{id}/{id+}"));
    }

    @Test
    void parse_refusesAGreedyParameterNotLast() {
        assertEquals("route path's greedy parameter {proxy+} must be its last segment", refusal("/a/{proxy+}/b"));
    }

    @Test
    void parse_refusesTooLongOrTooDeep() {
        assertEquals(1024, RoutePattern.parse("/" + "a".repeat(1023)).path().length());
        assertEquals("route path is longer than 1024 bytes", refusal("/" + "a".repeat(1024)));
        assertEquals(64, RoutePattern.parse("/a".repeat(64)).segments().size());
        assertEquals("route path has more than 64 segments", refusal("/a".repeat(65)));
    }

    @Test
    void parse_refusesCharactersOutsidePchar() {
        assertEquals("route path has a character not allowed in a URL path: U+003F (escape it as %XX)", refusal("/a?b=1"));
        assertEquals("route path has a character not allowed in a URL path: U+0023 (escape it as %XX)", refusal("/a#top"));
        assertEquals("route path has a character not allowed in a URL path: U+0020 (escape it as %XX)", refusal("/a b"));
        assertEquals("route path has a character not allowed in a URL path: U+0000 (escape it as %XX)", refusal("/a\u0000"));
        assertEquals("route path has a character not allowed in a URL path: U+000A (escape it as %XX)", refusal("/a\n"));
        assertEquals("route path has a character not allowed in a URL path: U+00E9 (escape it as %XX)", refusal("/café"));
        assertEquals("route path has a character not allowed in a URL path: U+005C (escape it as %XX)", refusal("/a\\b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%", "/a%4", "/a%zz", "/a%C3", "/a%FF"})
    void parse_refusesMalformedEscapes(String path) {
        assertEquals("route path has a malformed %XX escape (or escapes that are not UTF-8)", refusal(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.", "/a/..", "/a/%2e", "/%2E%2e/b"})
    void parse_refusesDotSegments(String path) {
        assertEquals("route path has a '.' or '..' segment", refusal(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1", "/v1/x", "/V1/x", "/%76%31/x", "/v1%2Fx", "/healthz", "/HealthZ/deep", "/metrics",
            "/console", "/console/app", "/fn", "/fn/abc/x", "/FN/abc", "/2015-03-31/functions", "/2018-06-01/runtime/{x}"})
    void parse_refusesReservedPrefixes(String path) {
        assertEquals("route path is under a reserved prefix (/v1, /healthz, /metrics, /console, /fn, /2015-03-31, /2018-06-01)",
                refusal(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/x", "/v10", "/healthzone", "/fns", "/a/v1", "/{first}/v1", "/metricsx"})
    void parse_allowsNeighboursOfReservedPrefixes(String path) {
        assertEquals(path, RoutePattern.parse(path).path());
    }

    @Test
    void checkMethod_caseInsensitiveIn_upperCaseOut() {
        for (String method : RoutePattern.METHODS) {
            assertEquals(method, RoutePattern.checkMethod(method.toLowerCase()));
        }
        assertEquals("PATCH", RoutePattern.checkMethod("PaTcH"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "TRACE", "CONNECT", "GETS", " GET", "*"})
    void checkMethod_refusesOthers_listingTheAllowed(String method) {
        ApiException e = assertThrows(ApiException.class, () -> RoutePattern.checkMethod(method));
        assertEquals(400, e.status());
        assertEquals("route method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY", e.getMessage());
        assertThrows(ApiException.class, () -> RoutePattern.checkMethod(null));
    }
}
