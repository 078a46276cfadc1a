package dev.hearth.runtime.java;

/** Why /init could not load the function: Runtime.HandlerNotFound, Runtime.ImportModuleError or Runtime.MalformedHandlerName. */
final class InitFailure extends Exception {

    static final String HANDLER_NOT_FOUND = "Runtime.HandlerNotFound";
    static final String IMPORT_MODULE_ERROR = "Runtime.ImportModuleError";
    static final String MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName";

    private final String errorType;

    InitFailure(String errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
    }

    InitFailure(String errorType, String message) {
        this(errorType, message, null);
    }

    String errorType() {
        return errorType;
    }

    byte[] body() {
        return ErrorBody.of(errorType, getMessage(), getCause());
    }
}
