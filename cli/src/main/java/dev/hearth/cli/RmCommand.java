package dev.hearth.cli;

import java.io.Console;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hearth rm NAME}: deletes a function, its versions, aliases, routes and URL; asks first on a terminal. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a function with all its versions, aliases, routes and URL.")
final class RmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Do not ask (needed when not on a terminal).")
    boolean yes;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        HearthApi api = root.api();
        String path = "/v1/functions/" + Requests.segment(name);
        if (!yes) {
            Console console = root.console();
            if (console == null) {
                throw CliException.usage("give --yes to delete " + name + " (there is no terminal to ask on)");
            }
            api.get(path);
            String answer = console.readLine("delete %s with all its versions, aliases, routes and URL? [y/N] ", name);
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                root.output().note("kept " + name);
                return ExitCode.OK.code();
            }
        }
        api.delete(path);
        Output output = root.output();
        output.line("deleted " + name);
        output.document(HearthApi.JSON.createObjectNode().put("name", name).put("deleted", true));
        return ExitCode.OK.code();
    }
}
