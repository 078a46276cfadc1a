package dev.hearth.cli;

import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;

/** The CLI's entry point: runs one command and exits with its {@link ExitCode}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line; the exit code is what the process would exit with. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        HearthCommand root = new HearthCommand(env, out, err);
        CommandLine line = new CommandLine(root);
        line.setOut(new java.io.PrintWriter(out, true));
        line.setErr(new java.io.PrintWriter(err, true));
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CliException failure) {
                err.println("hearth: " + failure.getMessage());
                return failure.exitCode().code();
            }
            err.println("hearth: internal error (" + (e.getMessage() == null ? "no message" : e.getMessage()) + ")");
            return ExitCode.UNAVAILABLE.code();
        });
        line.setParameterExceptionHandler((e, parsed) -> {
            err.println("hearth: " + e.getMessage());
            err.println("(see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE.code();
        });
        return line.execute(args);
    }
}
