package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;

/**
 * Owns the function's {@link LambdaLogger}: each message becomes its own stdout line(s) in the log
 * capture. As Lambda's text format does, a String logged with a level is prefixed {@code [LEVEL] };
 * bytes are logged as they are, level or not (log4j's LambdaAppender sends its laid-out line so).
 */
final class CapturedLogger implements LambdaLogger {

    private final LogCapture capture;

    CapturedLogger(LogCapture capture) {
        this.capture = capture;
    }

    @Override
    public void log(String message) {
        capture.message(LogCapture.Stream.STDOUT, message);
    }

    @Override
    public void log(byte[] message) {
        log(message == null ? null : new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void log(String message, LogLevel level) {
        if (level == null || level == LogLevel.UNDEFINED) {
            log(message);
        } else {
            log("[" + level + "] " + message);
        }
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        log(message);
    }
}
