package dev.hearth.controlplane.function;

import java.util.Map;

/**
 * The body of {@code POST /v1/functions}: code as one source file or a base64 zip archive
 * (image functions are accepted by shape and refused as not available yet).
 */
public record NewFunction(
        String name,
        String runtime,
        String handler,
        Source source,
        String archive,
        String image,
        String contract,
        Integer memoryMb,
        Integer timeoutMs,
        Integer concurrency,
        Map<String, String> env,
        String network) {

    /** One source file, given inline. */
    public record Source(String filename, String content) {}
}
