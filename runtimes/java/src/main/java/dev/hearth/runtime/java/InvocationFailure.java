package dev.hearth.runtime.java;

import com.fasterxml.jackson.core.JacksonException;
import java.util.List;

/** Why one invocation did not produce a result: the error type to report and the exception behind it. */
final class InvocationFailure extends Exception {

    /** The handler's result could not be turned into JSON. */
    static final String MARSHAL_ERROR = "Runtime.MarshalError";
    /** The event could not be turned into the handler's declared input type. */
    static final String UNMARSHAL_ERROR = "Runtime.UnmarshalError";

    private final String errorType;

    private InvocationFailure(String errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
    }

    /** The handler threw: reported under the exception's own class name, as Lambda does. */
    static InvocationFailure thrown(Throwable error) {
        return new InvocationFailure(error.getClass().getName(), ErrorBody.message(error), error);
    }

    /** The result cannot be JSON: the stack shown is that of the function's code that failed (a getter), if any. */
    static InvocationFailure marshal(Throwable error) {
        Throwable cause = error.getCause();
        boolean fromFunction = cause != null && !(cause instanceof JacksonException) && !(cause instanceof StackOverflowError);
        return new InvocationFailure(MARSHAL_ERROR, "result is not JSON serializable: " + message(error), fromFunction ? cause : null);
    }

    /** The event does not fit the declared type: the event's fault, so Jackson's stack is left out. */
    static InvocationFailure unmarshal(String type, Throwable error) {
        return new InvocationFailure(UNMARSHAL_ERROR, "cannot read the event as " + type + ": " + message(error), null);
    }

    /** Jackson's message without its location suffix (which only says the source is redacted). */
    private static String message(Throwable error) {
        if (error instanceof JacksonException) {
            return ((JacksonException) error).getOriginalMessage();
        }
        return String.valueOf(error.getMessage());
    }

    String errorType() {
        return errorType;
    }

    /**
     * What Lambda's runtime writes to the function's log when an invocation fails:
     * {@code message: type}, then the exception behind it as printed, causes included.
     */
    String logText() {
        StringBuilder text = new StringBuilder(getMessage()).append(": ").append(errorType);
        if (getCause() != null) {
            for (String line : ErrorBody.printed(getCause())) {
                text.append('\n').append(line);
            }
        }
        return text.toString();
    }

    /** The error JSON: errorType, errorMessage and the frames of the exception behind it. */
    byte[] body() {
        return getCause() == null ? ErrorBody.of(errorType, getMessage(), List.of()) : ErrorBody.of(errorType, getMessage(), getCause());
    }
}
