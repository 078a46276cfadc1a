package dev.hearth.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Owns the agent protocol (runtimes/README.md): routes /healthz, /init and /run, holds the one
 * function this container serves, and runs one /init or /run at a time. Every /run answer
 * carries the log captured since the previous one ({@code X-Hearth-Log-Bytes}, then the JSON).
 */
final class Dispatcher {

    static final int MAX_BODY = 6 * 1024 * 1024;
    static final String LOG_BYTES_HEADER = "X-Hearth-Log-Bytes";
    static final String FUNCTION_ERROR_HEADER = "X-Hearth-Function-Error";

    private final LogCapture logs;
    private final CapturedLogger logger;
    private final FunctionLoader loader;
    private final LongSupplier clock;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    /** Set by the first well-formed /init, whether or not the function then loads. */
    private volatile FunctionConfig function;
    private volatile FunctionLoader.Loaded loaded;
    private volatile FunctionIdentity identity;
    private volatile Log4jRequestId log4j;

    Dispatcher(LogCapture logs, FunctionLoader loader, LongSupplier clock) {
        this.logs = logs;
        this.logger = new CapturedLogger(logs);
        this.loader = loader;
        this.clock = clock;
    }

    HttpResponse handle(HttpRequest request) {
        switch (request.path()) {
            case "/healthz":
                if (!request.method().equals("GET")) {
                    return methodNotAllowed(request, "GET");
                }
                return HttpResponse.json(200, function == null ? "{\"initialized\":false}" : "{\"initialized\":true}");
            case "/init":
                return request.method().equals("POST") ? init(request) : methodNotAllowed(request, "POST");
            case "/run":
                return run(request);
            default:
                return HttpResponse.json(404, ErrorBody.of("NotFound", request.path()));
        }
    }

    /** The answer to a request the HTTP reader refused; on /run it still carries the log. */
    HttpResponse reject(HttpException error) {
        String type = error.status() == 413 ? "Runtime.RequestTooLarge" : "Runtime.BadRequest";
        HttpResponse response = HttpResponse.json(error.status(), ErrorBody.of(type, error.getMessage()));
        if (!"/run".equals(error.path())) {
            return response;
        }
        oneAtATime.lock();
        try {
            return withLog(response, "");
        } finally {
            oneAtATime.unlock();
        }
    }

    private HttpResponse init(HttpRequest request) {
        oneAtATime.lock();
        try {
            if (request.bodyTooLarge()) {
                return tooLarge();
            }
            JsonNode body;
            try {
                body = request.body().length == 0 ? null : TypeMapper.shared().tree(request.body());
            } catch (IOException e) {
                return HttpResponse.json(400, ErrorBody.of("Runtime.InvalidJson", TypeMapper.describe(e)));
            }
            if (body == null || !body.isObject()) {
                return HttpResponse.json(400, ErrorBody.of("Runtime.BadInit", "init body must be a JSON object"));
            }
            if (function != null) {
                return HttpResponse.json(409, ErrorBody.of("Runtime.AlreadyInitialized",
                        "this container already serves " + function.functionName()));
            }
            FunctionConfig config;
            try {
                config = FunctionConfig.parse(body);
            } catch (IllegalArgumentException e) {
                return HttpResponse.json(400, ErrorBody.of("Runtime.BadInit", e.getMessage()));
            }
            long started = System.nanoTime();
            function = config;
            identity = FunctionIdentity.of(config);
            checkHeap(config.memoryMb());
            try {
                Environment.apply(config.env());
            } catch (IllegalStateException e) {
                Diagnostics.log(e.getMessage());
                logs.message(LogCapture.Stream.STDERR, "[hearth] environment variables not set: " + e.getMessage());
            }
            try {
                FunctionLoader.Loaded code = loader.load(config.handler(), Path.of(config.codeDir()));
                log4j = new Log4jRequestId(code.classLoader());
                loaded = code;
            } catch (InitFailure e) {
                return HttpResponse.json(500, e.body());
            }
            BigDecimal initMs = BigDecimal.valueOf((System.nanoTime() - started) / 1000, 3);
            return HttpResponse.json(200, "{\"initMs\":" + initMs.toPlainString() + "}");
        } finally {
            oneAtATime.unlock();
        }
    }

    private HttpResponse run(HttpRequest request) {
        String requestId = request.header("X-Hearth-Request-Id");
        oneAtATime.lock();
        try {
            return withLog(invoke(request, requestId == null ? "" : requestId), requestId == null ? "" : requestId);
        } finally {
            oneAtATime.unlock();
        }
    }

    private HttpResponse invoke(HttpRequest request, String requestId) {
        if (!request.method().equals("POST")) {
            return methodNotAllowed(request, "POST");
        }
        if (request.bodyTooLarge()) {
            return tooLarge();
        }
        byte[] event = request.body();
        try {
            TypeMapper.shared().validate(event);
        } catch (IOException e) {
            return HttpResponse.json(400, ErrorBody.of("Runtime.InvalidJson", TypeMapper.describe(e)));
        }
        FunctionLoader.Loaded current = loaded;
        if (current == null) {
            String reason = function == null ? "this container is not initialized" : "this container's /init failed";
            return HttpResponse.json(409, ErrorBody.of("Runtime.NotInitialized", reason));
        }
        long deadline = deadline(request.header("X-Hearth-Deadline-Ms"), function.timeoutMs());
        LambdaContext context = new LambdaContext(identity, requestId, deadline, logger, clock,
                request.header("X-Hearth-Qualifier"), CallerContext.of(request.header("X-Hearth-Client-Context")));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(current.classLoader());
        try {
            log4j.put(requestId);
            return HttpResponse.json(200, current.invoker().invoke(event, context));
        } catch (InvocationFailure e) {
            logs.message(LogCapture.Stream.STDOUT, e.logText());
            return HttpResponse.json(500, e.body());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The JVM sized its heap from the container's memory limit when it started; a container
     * resized since (a pooled one given to a function with another memory size) keeps that heap.
     */
    private static void checkHeap(int memoryMb) {
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        if (heapMb > memoryMb || heapMb < memoryMb / 2) {
            Diagnostics.log("heap ceiling " + heapMb + " MiB (sized when the JVM started) does not match the function's "
                    + memoryMb + " MiB: the container's memory limit changed after start");
        }
    }

    /** Prefixes the log captured so far; a 5xx /run answer is a function error (Lambda's "Unhandled"). */
    private HttpResponse withLog(HttpResponse response, String requestId) {
        byte[] log = logs.drain(requestId);
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put(LOG_BYTES_HEADER, Integer.toString(log.length));
        if (response.status() >= 500) {
            headers.put(FUNCTION_ERROR_HEADER, "Unhandled");
        }
        List<byte[]> body = new java.util.ArrayList<>(response.body().size() + 1);
        body.add(log);
        body.addAll(response.body());
        return new HttpResponse(response.status(), headers, body);
    }

    /** The header's Unix time in ms; without a usable one, the function's timeout from now. */
    private long deadline(String header, long timeoutMs) {
        if (header != null) {
            try {
                return Long.parseLong(header.trim());
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(header.trim());
                } catch (NumberFormatException ignored) {
                    // fall through to the default
                }
            }
        }
        return clock.getAsLong() + timeoutMs;
    }

    private static HttpResponse tooLarge() {
        return HttpResponse.json(413, ErrorBody.of("Runtime.RequestTooLarge", "body over " + MAX_BODY + " bytes"));
    }

    private static HttpResponse methodNotAllowed(HttpRequest request, String allowed) {
        HttpResponse response = HttpResponse.json(405, ErrorBody.of("Runtime.MethodNotAllowed",
                request.method() + " " + request.path() + " (use " + allowed + ")"));
        response.headers().put("Allow", allowed);
        return response;
    }
}
