package dev.hearth.cli;

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
        subcommands = {LsCommand.class, ApplyCommand.class, ExportCommand.class})
public final class HearthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "text|json",
            description = "text (default) or json, for scripts.")
    Output.Format format = Output.Format.text;

    private final Map<String, String> env;
    private final java.io.PrintStream out;
    private final java.io.PrintStream err;

    public HearthCommand(Map<String, String> env, java.io.PrintStream out, java.io.PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** The root command a subcommand (at any depth) runs under. */
    public static HearthCommand of(CommandSpec spec) {
        return (HearthCommand) spec.root().userObject();
    }

    public Map<String, String> env() {
        return env;
    }

    public Output output() {
        return new Output(format, out, err);
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
