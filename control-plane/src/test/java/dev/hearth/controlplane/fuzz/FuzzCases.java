package dev.hearth.controlplane.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.controlplane.function.FunctionRoutes;
import dev.hearth.controlplane.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates the fuzz cases from one seed: bodies for every endpoint that reads one, then
 * hostile paths, methods, query strings and headers for every route. Each case is one request.
 */
final class FuzzCases {

    /** One request to send; {@code group} names the endpoint and kind for the counts. */
    record Case(String group, Request request) {
        /**
         * A broken %-escape in the path or query is refused by Undertow's request parser before
         * any Hearth code runs, with a bare 400 and no body: honest, but not the JSON shape.
         */
        boolean parserMayRefuse() {
            return request.mayBeRefusedByTheParser() || BROKEN_ESCAPE.matcher(request.target()).find();
        }
    }

    private static final java.util.regex.Pattern BROKEN_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

    /** The accounts and functions the cases aim at, made before the run. */
    record Targets(String username, String password, String token, String otherToken, String echo, String target) {}

    static final List<String> FUNCTION_FIELDS = List.of("name", "runtime", "handler", "source", "source.filename",
            "source.content", "archive", "image", "contract", "memoryMb", "timeoutMs", "concurrency", "env", "env.GREETING",
            "env.BAD=KEY", "network", "minWarm");
    static final List<String> PATCH_FIELDS = List.of("concurrency", "timeoutMs", "minWarm", "memoryMb");
    static final List<String> CREDENTIAL_FIELDS = List.of("username", "password");
    static final List<String> ROUTE_FIELDS = List.of("method", "path", "function", "qualifier", "auth", "host");
    static final List<String> URL_FIELDS = List.of("auth", "qualifier", "cors", "cors.allowOrigins", "cors.allowMethods",
            "cors.allowHeaders", "cors.exposeHeaders", "cors.maxAge", "cors.allowCredentials");
    /** Route paths at the edges of the rules: reserved prefixes in disguise, bad parameters, odd characters. */
    static final List<String> ROUTE_PATHS = List.of("/v1/x", "/V1/x", "/%76%31/x", "/fn/x", "/healthz", "/metrics/x",
            "/2015-03-31/functions", "/a//b", "/{x}/{x}", "/{p+}/x", "/{}", "/{1x}", "/a b", "/a?b", "/a#b", "/%zz", "/%00",
            "/..", "/./a", "x", "", "/" + "a/".repeat(70), "/" + "x".repeat(1100), "/fz/{id}/{rest+}", "/é", "/{id", "/id}");
    static final List<String> ALIAS_FIELDS = List.of("version", "weights", "weights.1", "weights.2", "description");
    /** Alias names and qualifiers: Lambda's rule's edges, and what must never reach the store as a field name. */
    static final List<String> QUALIFIERS = List.of("prod", "1", "0", "-1", "01", "$LATEST", "%24LATEST", "$where", "a.b",
            "a%2Eb", "%24set", "x".repeat(128), "x".repeat(129), "99999999999999999999", "1e3", "%E2%80%AE", "_", "-", "NaN");

    private final Random random;
    private final Bodies bodies;
    private final Targets targets;
    private final List<Case> cases = new ArrayList<>();
    private int serial;

    FuzzCases(long seed, Targets targets) {
        this.random = new Random(seed);
        this.bodies = new Bodies(random);
        this.targets = targets;
    }

    List<Case> generate() {
        for (int i = 0; i < 400; i++) {
            credentials("POST /v1/users", "/v1/users");
        }
        for (int i = 0; i < 300; i++) {
            credentials("POST /v1/tokens", "/v1/tokens");
        }
        for (int i = 0; i < 1_600; i++) {
            functionBody("POST /v1/functions", "POST", "/v1/functions", "fz-" + (serial++));
        }
        for (int i = 0; i < 500; i++) {
            functionBody("PUT /v1/functions/{name}", "PUT", "/v1/functions/" + targets.target(), targets.target());
        }
        for (int i = 0; i < 500; i++) {
            patch();
        }
        for (int i = 0; i < 350; i++) {
            invoke(false);
        }
        for (int i = 0; i < 100; i++) {
            invoke(true);
        }
        for (int i = 0; i < 300; i++) {
            alias();
        }
        for (int i = 0; i < 150; i++) {
            qualifiedInvoke();
        }
        for (int i = 0; i < 300; i++) {
            route();
        }
        for (int i = 0; i < 150; i++) {
            url();
        }
        for (int i = 0; i < 1_500; i++) {
            pathsAndHeaders();
        }
        for (int i = 0; i < 300; i++) {
            transport();
        }
        return cases;
    }

    private void add(String group, Request request) {
        cases.add(new Case(group, request));
    }

    private void credentials(String group, String path) {
        ObjectNode template = Bodies.credentials(random.nextBoolean() ? targets.username() : "fz-user-" + random.nextInt(50),
                "wrong password " + random.nextInt(10));
        byte[] body = random.nextInt(3) == 0 ? bodies.broken(template.toString().getBytes(StandardCharsets.UTF_8))
                : bodies.mutated(template, CREDENTIAL_FIELDS);
        add(group, new Request("POST", path).body(body));
    }

    private void functionBody(String group, String method, String path, String name) {
        ObjectNode template = Bodies.function(name);
        int kind = random.nextInt(10);
        byte[] body;
        if (kind < 6) {
            body = bodies.mutated(template, FUNCTION_FIELDS);
        } else if (kind < 8) {
            body = bodies.broken(template.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            template.remove("source");
            template.put("archive", bodies.hostileArchive());
            body = template.toString().getBytes(StandardCharsets.UTF_8);
        }
        add(group, new Request(method, path).bearer(targets.token()).body(body));
    }

    private void patch() {
        ObjectNode template = Bodies.patch();
        byte[] body = random.nextInt(3) == 0 ? bodies.broken(template.toString().getBytes(StandardCharsets.UTF_8))
                : bodies.mutated(template, PATCH_FIELDS);
        String name = random.nextInt(4) == 0 ? Values.pick(random, Values.SEGMENTS) : targets.target();
        add("PATCH /v1/functions/{name}", new Request("PATCH", "/v1/functions/" + name).bearer(targets.token()).body(body));
    }

    private void invoke(boolean async) {
        byte[] event = switch (random.nextInt(6)) {
            case 0 -> bodies.randomBytes(random.nextInt(2_000));
            case 1 -> bodies.broken("{\"key\":\"value\",\"n\":[1,2,3]}".getBytes(StandardCharsets.UTF_8));
            case 2 -> bodies.mutated(Bodies.credentials("a", "b"), CREDENTIAL_FIELDS);
            case 3 -> Values.nested(Values.pick(random, List.of(10, 100, 500, 900, 999, 1_000, 1_001, 3_000)), random.nextBoolean())
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> Values.pick(random, Values.FRAGMENTS).getBytes(StandardCharsets.UTF_8);
            default -> new byte[0];
        };
        Request request = new Request("POST", "/v1/functions/" + targets.echo() + "/invoke").bearer(targets.token()).body(event);
        if (async) {
            request.header("X-Hearth-Invocation-Type", Values.pick(random, List.of("async", "ASYNC", "Async")));
            if (random.nextBoolean()) {
                // Literal addresses only: a host name would send a DNS query off this machine.
                request.header("X-Hearth-Callback-Url", Values.pick(random, List.of("http://127.0.0.1:9/cb", "http://[::1]:9/",
                        "ftp://127.0.0.1/", "not a url", "http://", "//127.0.0.1/", "http://[::ffff:127.0.0.1]/",
                        "javascript:alert(1)", "http://127.0.0.1:99999/", "http://127.0.0.1/" + "x".repeat(5000))));
            }
        } else if (random.nextInt(4) == 0) {
            request.header("X-Hearth-Invocation-Type", Values.pick(random, List.of("sync", "", "both", "async ", "SYNC", "x".repeat(3000))));
        }
        add(async ? "POST invoke (async)" : "POST invoke (sync)", request);
    }

    private void alias() {
        ObjectNode template = Bodies.alias();
        byte[] body = random.nextInt(3) == 0 ? bodies.broken(template.toString().getBytes(StandardCharsets.UTF_8))
                : bodies.mutated(template, ALIAS_FIELDS);
        String alias = random.nextInt(3) == 0 ? Values.pick(random, Values.SEGMENTS) : Values.pick(random, QUALIFIERS);
        String method = Values.pick(random, List.of("PUT", "PUT", "PUT", "GET", "DELETE"));
        add(method + " /v1/functions/{name}/aliases/{alias}", new Request(method,
                "/v1/functions/" + targets.target() + "/aliases/" + alias).bearer(targets.token()).body(body));
    }

    private void route() {
        ObjectNode template = Bodies.route(random.nextInt(4) == 0 ? "nosuch" : targets.echo());
        if (random.nextInt(3) == 0) {
            template.put("path", Values.pick(random, ROUTE_PATHS));
        }
        byte[] body = random.nextInt(4) == 0 ? bodies.broken(template.toString().getBytes(StandardCharsets.UTF_8))
                : bodies.mutated(template, ROUTE_FIELDS);
        if (random.nextInt(6) == 0) {
            add("DELETE /v1/routes/{id}", new Request("DELETE", "/v1/routes/" + Values.pick(random, Values.SEGMENTS))
                    .bearer(targets.token()));
            return;
        }
        add("POST /v1/routes", new Request("POST", "/v1/routes")
                .bearer(random.nextInt(8) == 0 ? targets.otherToken() : targets.token()).body(body));
    }

    private void url() {
        ObjectNode template = Bodies.url();
        byte[] body = random.nextInt(4) == 0 ? bodies.broken(template.toString().getBytes(StandardCharsets.UTF_8))
                : bodies.mutated(template, URL_FIELDS);
        String method = Values.pick(random, List.of("PUT", "PUT", "GET", "DELETE"));
        String name = random.nextInt(4) == 0 ? Values.pick(random, Values.SEGMENTS) : targets.target();
        add(method + " /v1/functions/{name}/url", new Request(method, "/v1/functions/" + name + "/url")
                .bearer(targets.token()).body(body));
    }

    private void qualifiedInvoke() {
        String qualifier = Values.pick(random, QUALIFIERS);
        Request request = new Request("POST", "/v1/functions/" + targets.echo() + "/invoke?qualifier=" + qualifier
                + (random.nextInt(5) == 0 ? "&qualifier=1" : "")).bearer(targets.token()).body("{}".getBytes(StandardCharsets.UTF_8));
        if (random.nextInt(4) == 0) {
            request.header("X-Hearth-Invocation-Type", "async");
        }
        add("POST invoke?qualifier", request);
    }

    /** A route that reads a body, with the limit it was registered with (README, "Request bodies"). */
    private record BodyRoute(String method, String path, long limit) {}

    private static final long INVOKE_LIMIT = 6L * 1024 * 1024;

    private List<BodyRoute> bodyRoutes() {
        return List.of(new BodyRoute("POST", "/v1/users", 4096), new BodyRoute("POST", "/v1/tokens", 4096),
                new BodyRoute("PATCH", "/v1/functions/" + targets.target(), 32 * 1024),
                new BodyRoute("PUT", "/v1/functions/" + targets.target() + "/aliases/live", 4096),
                new BodyRoute("POST", "/v1/functions/" + targets.echo() + "/invoke", INVOKE_LIMIT),
                new BodyRoute("POST", "/v1/functions", FunctionRoutes.maxBody(50L * 1024 * 1024)),
                new BodyRoute("DELETE", "/v1/functions/fz-gone", HttpServer.DEFAULT_BODY_LIMIT),
                new BodyRoute("GET", "/v1/functions", HttpServer.DEFAULT_BODY_LIMIT));
    }

    /** Malformed chunk-size lines: not hex, past 64 bits, negative, empty, spaced, prefixed, or with a bare LF. */
    private static final List<String> CHUNK_SIZES = List.of("zz", "ffffffffffffffffff", "-5", "", " 5", "0x10", "1g", "\n5",
            "5 ;", "\u00ff", "8000000000000000", "-0", "+3");

    /**
     * Framing and pacing: chunked bodies good and malformed, bodies past their route's limit
     * (declared or sent), a Content-Length the body never reaches, bodies that arrive slowly, and
     * control characters in header values. The fuzz node's body deadline is 1 s.
     */
    private void transport() {
        BodyRoute route = Values.pick(random, bodyRoutes());
        Request request = new Request(route.method(), route.path()).bearer(targets.token());
        boolean invoke = route.path().endsWith("/invoke");
        byte[] json = (invoke ? "{\"fuzz\":" + random.nextInt(1000) + "}" : "{\"name\":\"fz-t" + (serial++) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String kind;
        switch (random.nextInt(10)) {
            case 0, 1 -> {
                kind = "chunked";
                request.body(random.nextBoolean() ? json : bodies.broken(json)).chunked(null);
            }
            case 2, 3 -> {
                kind = "malformed chunk size";
                request.body(json).chunked(Values.pick(random, CHUNK_SIZES));
            }
            case 4 -> {
                kind = "declared past the limit";
                request.declaredLength(route.limit() + 1 + random.nextInt(3) * (long) Integer.MAX_VALUE);
            }
            case 5 -> {
                // Sent for real only where that is cheap; the big limits are exercised by declaration above.
                kind = "sent past the limit";
                long over = route.limit() <= INVOKE_LIMIT ? route.limit() + 1 : HttpServer.DEFAULT_BODY_LIMIT + 1;
                byte[] big = new byte[(int) over];
                java.util.Arrays.fill(big, (byte) ' ');
                big[0] = '{';
                request.body(big);
                if (random.nextBoolean()) {
                    request.chunked(null);
                }
            }
            case 6 -> {
                kind = "Content-Length never reached";
                if (random.nextInt(4) != 0) {
                    return; // each costs the 1 s deadline: a few are enough
                }
                request.body(json).declaredLength(json.length + 1 + random.nextInt(1000));
            }
            case 7 -> {
                kind = "slow body";
                if (random.nextInt(3) != 0) {
                    return;
                }
                // 100 ms apart arrives within the deadline; 700 ms apart does not.
                request.body(json).slowly(random.nextBoolean() ? 100 : 700);
                if (random.nextBoolean()) {
                    request.chunked(null);
                }
            }
            case 8 -> {
                kind = "control character in a header";
                String c = Values.pick(random, List.of("\u0000", "\u0001", "\r", "\u007f", "\u001b"));
                request.rawHeader("X-Fuzz: a" + c + "b").body(json).parserMayRefuse();
            }
            default -> {
                kind = "Expect: 100-continue";
                request.header("Expect", "100-continue").body(random.nextBoolean() ? json : bodies.broken(json));
            }
        }
        add("transport: " + kind, request);
    }

    private static final List<String> ROUTES = List.of("/v1/functions/{n}", "/v1/functions/{n}/invoke", "/v1/functions/{n}/build",
            "/v1/functions/{n}/invocations", "/v1/functions/{n}/async", "/v1/invocations/{n}", "/v1/functions", "/v1/users",
            "/v1/tokens", "/healthz", "/v1/", "/", "/v2/{n}", "/console/{n}", "/metrics", "/2015-03-31/functions/{n}/invocations",
            "/v1/functions/{n}/{n}", "/v1//functions", "/v1/functions/", "/V1/FUNCTIONS", "/v1/functions/{n}/invoke/{n}",
            "/v1/functions/{n}/versions", "/v1/functions/{n}/versions/{n}", "/v1/functions/{n}/aliases",
            "/v1/functions/{n}/aliases/{n}", "/v1/functions/{n}/invocations?version={n}&alias={n}", "/v1/routes",
            "/v1/routes/{n}", "/v1/functions/{n}/url", "/fn/{n}/", "/fn/{n}/{n}", "/fn/", "/fz/{n}/x", "/{n}");
    private static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "TRACE", "FOO", "get", "PROPFIND", "M-SEARCH");

    private void pathsAndHeaders() {
        String route = Values.pick(random, ROUTES);
        while (route.contains("{n}")) {
            String name = random.nextInt(5) == 0 ? Values.pick(random, List.of(targets.echo(), targets.target()))
                    : Values.pick(random, Values.SEGMENTS);
            route = route.replaceFirst("\\{n}", java.util.regex.Matcher.quoteReplacement(name));
        }
        String method = Values.pick(random, METHODS);
        if (method.equals("DELETE") && (route.endsWith("/" + targets.echo()) || route.endsWith("/" + targets.target()))) {
            method = "GET";
        }
        Request request = new Request(method, route + Values.pick(random, Values.QUERIES));
        switch (random.nextInt(12)) {
            case 0 -> { }
            case 1 -> request.header("Authorization", "Bearer " + targets.token() + "x");
            case 2 -> request.header("Authorization", Values.pick(random, List.of("Basic Zm9vOmJhcg==", "Bearer", "Bearer ",
                    "bearer " + targets.token(), "Bearer " + "x".repeat(20_000), "Bearer \u00ff\u00fe", "Token abc", "Bearer a b c")));
            case 3 -> request.bearer(targets.token()).bearer(targets.otherToken());
            case 4 -> request.bearer(targets.otherToken());
            case 5 -> request.bearer(targets.token()).header("X-Hearth-Invocation-Type", Values.pick(random, Values.STRINGS.stream()
                    .filter(s -> s.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c > 255)).toList()));
            case 6 -> {
                request.bearer(targets.token());
                for (int i = 0; i < 40; i++) {
                    request.header("X-Repeated", "v" + i);
                }
            }
            case 7 -> request.bearer(targets.token()).header("X-Big", "y".repeat(Values.pick(random, List.of(1_000, 16_000, 60_000))));
            case 8 -> request.bearer(targets.token()).header("Content-Type", Values.pick(random, List.of("text/plain", "application/xml",
                    "multipart/form-data; boundary=x", "application/json; charset=latin1", "", "*/*")));
            case 9 -> request.bearer(targets.token()).rawHeader("X-A: b\r\nX-Injected: 1");
            case 10 -> request.bearer(targets.token()).header("Accept", "*/*").header("Accept-Encoding", "gzip, br, zstd, *")
                    .header("X-Forwarded-For", "1.2.3.4, " + "9".repeat(300)).header("Expect", "100-continue");
            default -> request.bearer(targets.token());
        }
        if ((method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) && random.nextBoolean()) {
            request.json(random.nextBoolean() ? "{}" : "{\"name\":\"" + Values.pick(random, List.of("x", "fz-p", "..")) + "\"}");
        }
        add("paths, methods, queries and headers", request);
    }
}
