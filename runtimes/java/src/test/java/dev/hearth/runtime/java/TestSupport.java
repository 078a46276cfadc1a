package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Shared bits of the agent's tests: a fixed clock, a function config and a context. */
final class TestSupport {

    /** 2026-11-22T03:04:05.678Z */
    static final long NOW = 1_795_316_645_678L;

    private TestSupport() {
    }

    static FunctionConfig config(String handler, String codeDir) {
        return new FunctionConfig(handler, codeDir, "fn", "3", 256, 3000, Map.of());
    }

    static Context context(LogCapture capture) {
        return new LambdaContext(FunctionIdentity.of(config("x.Y", "/tmp")), "req-1", NOW + 1500, new CapturedLogger(capture), () -> NOW);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
