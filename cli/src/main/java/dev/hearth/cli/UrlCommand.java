package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hearth url set|get|rm NAME}: a function's own URL ({@code /fn/<id>/}, any method and path under it). */
@Command(name = "url", mixinStandardHelpOptions = true, description = "Give a function a URL of its own (set, get, rm).",
        subcommands = {UrlCommand.Set.class, UrlCommand.Get.class, UrlCommand.Rm.class})
final class UrlCommand implements Runnable {

    @Override
    public void run() {
        throw CliException.usage("give a subcommand: url set|get|rm (see 'hearth url --help')");
    }

    static String path(String function) {
        return "/v1/functions/" + Requests.segment(function) + "/url";
    }

    static void show(HearthCommand root, JsonNode url) {
        Output output = root.output();
        output.line(url.path("url").asText() + " -> " + url.path("function").asText()
                + (url.hasNonNull("qualifier") ? ":" + url.path("qualifier").asText() : "") + " (auth " + url.path("auth").asText() + ")");
        output.document(url);
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Create the URL or change its settings (the URL itself stays).")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String function;

        @Option(names = "--auth", paramLabel = "none|token", description = "none: public; token (the default): your bearer token.")
        String auth = "token";

        @Option(names = {"-q", "--qualifier"}, description = "An alias or version (default: the newest ready version).")
        String qualifier;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            show(root, root.api().put(path(function), Requests.fields("auth", auth, "qualifier", qualifier)));
            return ExitCode.OK.code();
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show the function's URL.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String function;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            show(root, root.api().get(path(function)));
            return ExitCode.OK.code();
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete the function's URL.")
    static final class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String function;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            root.api().delete(path(function));
            Output output = root.output();
            output.line("deleted the URL of " + function);
            output.document(HearthApi.JSON.createObjectNode().put("function", function).put("deleted", true));
            return ExitCode.OK.code();
        }
    }
}
