package dev.hearth.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** The CLI's entry point: runs one command and exits with its {@link ExitCode}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> env = System.getenv();
        if ("1".equals(env.get("HEARTH_CLI_TRAINING"))) {
            System.exit(CdsTraining.run());
        }
        System.exit(run(args, new HearthCommand(env, System.in, System.out, System.err, terminal(env))));
    }

    /** Runs one command line; the exit code is what the process would exit with. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, new HearthCommand(env, out, err));
    }

    /**
     * The terminal when the user sits at one: stdin and stdout are one (Java's console) and so is
     * stderr, where prompts and progress go; not with {@code TERM=dumb}.
     */
    static Console terminal(Map<String, String> env) {
        Console console = System.console();
        if (console == null || "dumb".equals(env.get("TERM"))) {
            return null;
        }
        try {
            String stderr = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return stderr.startsWith("/dev/pts/") || stderr.startsWith("/dev/tty") ? console : null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return console;
        }
    }

    static int run(String[] args, HearthCommand root) {
        PrintStream out = root.out();
        PrintStream err = root.err();
        CommandLine line = new CommandLine(root);
        // '@file' is an event file for 'invoke -d', not one of picocli's argument files.
        line.setExpandAtFiles(false);
        line.setOut(new java.io.PrintWriter(out, true));
        line.setErr(new java.io.PrintWriter(err, true));
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            root.clearProgress();
            if (e instanceof CliException failure) {
                // Often the server's own message, which may carry what a tenant or the server wrote.
                err.println("hearth: " + Output.printable(failure.getMessage(), true));
                return failure.exitCode().code();
            }
            err.println("hearth: internal error (" + (e.getMessage() == null ? "no message" : Output.printable(e.getMessage(), false)) + ")");
            return ExitCode.UNAVAILABLE.code();
        });
        line.setParameterExceptionHandler((e, parsed) -> {
            err.println("hearth: " + Output.printable(e.getMessage(), true));
            err.println("(see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE.code();
        });
        try {
            return line.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli hands on only exceptions; an error would end the JVM with a stack trace and status 1 ("it failed").
            root.clearProgress();
            err.println("hearth: internal error (" + (e instanceof OutOfMemoryError ? "out of memory" : "stack overflow") + ")");
            return ExitCode.UNAVAILABLE.code();
        }
    }
}
