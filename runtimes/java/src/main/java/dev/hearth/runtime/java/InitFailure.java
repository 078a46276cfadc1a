package dev.hearth.runtime.java;

/**
 * Why /init could not load the function: Runtime.HandlerNotFound, Runtime.ImportModuleError or
 * Runtime.MalformedHandlerName, or, as Lambda's Java runtime reports them, the function's own
 * exception (its constructor threw) or the error loading its class gave
 * (java.lang.ExceptionInInitializerError for a static initializer that threw, NoClassDefFoundError...).
 */
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

    /** The handler's constructor threw {@code error}: its own type and message. */
    static InitFailure thrown(Throwable error) {
        return new InitFailure(error.getClass().getName(), ErrorBody.message(error), error);
    }

    /**
     * Loading {@code className} failed with {@code error} (Lambda's "Error loading class X: message");
     * the stack shown is that of {@code origin}, the function's code that failed.
     */
    static InitFailure loading(Throwable error, String className, Throwable origin) {
        String message = error.getMessage() == null ? "" : ": " + error.getMessage();
        return new InitFailure(error.getClass().getName(), "Error loading class " + className + message, origin);
    }

    String errorType() {
        return errorType;
    }

    byte[] body() {
        return ErrorBody.of(errorType, getMessage(), getCause());
    }
}
