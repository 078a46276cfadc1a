package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.LambdaRuntimeInternal;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns giving log4j the invocation's request id, as Lambda's Java runtime does: once a Lambda
 * log4j appender (aws-lambda-java-log4j2's {@code LambdaAppender}) has said it is in use
 * ({@link LambdaRuntimeInternal#getUseLog4jAppender()}), each invocation puts its request id under
 * {@value #KEY} in log4j 2's {@code ThreadContext} and log4j 1's {@code MDC}, whichever the
 * function's class loader has, on the thread that runs the handler. A pattern's
 * {@code %X{AWSRequestId}} then shows it.
 */
final class Log4jRequestId {

    static final String KEY = "AWSRequestId";
    private static final String THREAD_CONTEXT = "org.apache.logging.log4j.ThreadContext";
    private static final String MDC = "org.apache.log4j.MDC";

    private final ClassLoader loader;
    /** The static {@code put(String, ...)} methods found; null until first needed. */
    private List<Method> puts;

    Log4jRequestId(ClassLoader loader) {
        this.loader = loader;
    }

    /** Tags what log4j logs on this thread from now on with {@code requestId}, if a Lambda appender is in use. */
    void put(String requestId) {
        if (!LambdaRuntimeInternal.getUseLog4jAppender()) {
            return;
        }
        if (puts == null) {
            puts = find();
            if (puts.isEmpty()) {
                Diagnostics.log("a Lambda log4j appender is in use but neither " + THREAD_CONTEXT + " nor " + MDC
                        + " can be loaded: log lines will not show the request id");
            }
        }
        for (Method put : puts) {
            try {
                put.invoke(null, KEY, requestId);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Diagnostics.log(put.getDeclaringClass().getName() + ".put(" + KEY + ") failed: " + e);
            }
        }
    }

    private List<Method> find() {
        List<Method> found = new ArrayList<>(2);
        add(found, THREAD_CONTEXT, String.class);
        add(found, MDC, Object.class);
        return found;
    }

    private void add(List<Method> found, String className, Class<?> valueType) {
        try {
            found.add(Class.forName(className, true, loader).getMethod("put", String.class, valueType));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // This log4j is not the function's.
        }
    }
}
