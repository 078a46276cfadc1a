package dev.hearth.cli;

/**
 * A failure the user sees as one line on stderr (never a stack trace) and as an exit code.
 * Messages are written for the user: they say what went wrong and, where it helps, what to do.
 */
public final class CliException extends RuntimeException {

    private final ExitCode exitCode;

    public CliException(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
