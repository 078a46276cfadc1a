package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment an image function's container gets: the function's own variables, then Hearth's. */
final class ImageEnv {

    private ImageEnv() {}

    static Map<String, String> of(FunctionSpec function) {
        Map<String, String> env = new LinkedHashMap<>(function.env());
        env.put("HEARTH_FUNCTION_NAME", function.name());
        env.put("HEARTH_FUNCTION_VERSION", Long.toString(function.version()));
        env.put("HEARTH_MEMORY_MB", Integer.toString(function.memoryMb()));
        env.put("HEARTH_TIMEOUT_MS", Integer.toString(function.timeoutMs()));
        return env;
    }
}
