package dev.hearth.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code hearth} command: its global options, and what every subcommand shares (the
 * environment, the profile, the output). A subcommand reaches it with {@link #of(CommandSpec)}.
 */
@Command(name = "hearth",
        mixinStandardHelpOptions = true,
        versionProvider = HearthCommand.Version.class,
        description = "Deploy, invoke and watch functions on Hearth.",
        subcommands = {LoginCommand.class, SignupCommand.class, LogoutCommand.class, WhoamiCommand.class,
                DeployCommand.class, InvokeCommand.class, LogsCommand.class, LsCommand.class, GetCommand.class,
                VersionsCommand.class, RmCommand.class, AliasCommand.class, RouteCommand.class, UrlCommand.class,
                ApplyCommand.class, ExportCommand.class, DevCommand.class})
public final class HearthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "text|json",
            description = "text (default) or json, for scripts.")
    Output.Format format = Output.Format.text;

    private final Map<String, String> env;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Console console;
    private Output output;

    /** A command with no input and no terminal (tests, scripts). */
    public HearthCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this(env, InputStream.nullInputStream(), out, err, null);
    }

    /**
     * @param console the terminal to prompt on and draw progress to; null when not run on one
     */
    public HearthCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, Console console) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
        this.console = console;
    }

    /** The root command a subcommand (at any depth) runs under. */
    public static HearthCommand of(CommandSpec spec) {
        return (HearthCommand) spec.root().userObject();
    }

    public Map<String, String> env() {
        return env;
    }

    /** Standard input: an event for {@code invoke -d -}, a password for {@code --password-stdin}. */
    public InputStream in() {
        return in;
    }

    /** The terminal, for prompts; null when there is none (a script, a pipe, a test). */
    public Console console() {
        return console;
    }

    /** What this command prints through; made once, after the options are parsed. */
    public Output output() {
        if (output == null) {
            output = newOutput();
        }
        return output;
    }

    /** Ends a progress line a failed command left on the terminal, before its error line. */
    void clearProgress() {
        if (output != null) {
            output.endProgress();
        }
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    private Output newOutput() {
        int columns = 80;
        try {
            columns = Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
        } catch (NumberFormatException e) {
            // keep 80
        }
        return new Output(format, out, err, console != null, columns);
    }

    public Profile profile() {
        return Profile.load(env);
    }

    /** A client with the stored endpoint and token; fails with "not logged in" without a token. */
    public HearthApi api() {
        return HearthApi.authenticated(profile());
    }

    @Override
    public void run() {
        spec.commandLine().usage(err);
    }

    /** The version from the jar's manifest. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HearthCommand.class.getPackage().getImplementationVersion();
            return new String[] {"hearth " + (version == null ? "dev" : version)};
        }
    }
}
