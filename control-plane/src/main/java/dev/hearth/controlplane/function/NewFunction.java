package dev.hearth.controlplane.function;

import java.util.Map;

/**
 * The body of {@code POST /v1/functions} and {@code PUT /v1/functions/{name}}: a source function
 * ({@code runtime}, {@code handler} and code as one source file or a base64 zip archive) or an
 * image function ({@code image} and {@code contract}), with optional settings and a description of the version.
 * {@code labels} belong to the function, not the version: a {@code PUT} without them keeps the function's.
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
        String network,
        Integer minWarm,
        String description,
        Map<String, String> labels) {

    /** The same request under another name (a {@code PUT} names its function in the path). */
    NewFunction named(String newName) {
        return new NewFunction(newName, runtime, handler, source, archive, image, contract, memoryMb, timeoutMs, concurrency,
                env, network, minWarm, description, labels);
    }

    /** One source file, given inline. */
    public record Source(String filename, String content) {}
}
