package dev.hearth.cli;

/**
 * The exit codes scripts can rely on. Each command ends with exactly one of these; the README's
 * CLI section lists them.
 */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0),
    /** What ran failed: the function raised, timed out or crashed, or its build failed. */
    FAILED(1),
    /** Bad usage or bad input: an unknown option, a malformed spec, a folder with no handler, a 400/413 answer. */
    USAGE(2),
    /** Not logged in, or the server refused the credentials (401, 403). */
    AUTH(3),
    /** No such function, version, alias, route or invocation (404). */
    NOT_FOUND(4),
    /** The change conflicts with what exists (409): a name taken, a version in use, a build still running. */
    CONFLICT(5),
    /** The server is throttling this user (429). */
    THROTTLED(6),
    /** The endpoint cannot be reached, or the server failed (5xx that is not the function's own failure). */
    UNAVAILABLE(7);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The exit code for an HTTP status the server answered with. */
    public static ExitCode ofStatus(int status) {
        return switch (status) {
            case 400, 405, 413, 415 -> USAGE;
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 429 -> THROTTLED;
            case 502, 504 -> FAILED;
            default -> status >= 200 && status < 300 ? OK : UNAVAILABLE;
        };
    }
}
