package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hearth route add|ls|rm}: HTTP routes on Hearth's listener ({@code METHOD PATH -> function}). */
@Command(name = "route", mixinStandardHelpOptions = true, description = "Serve functions on HTTP paths (add, ls, rm).",
        subcommands = {RouteCommand.Add.class, RouteCommand.Ls.class, RouteCommand.Rm.class})
final class RouteCommand implements Runnable {

    @Override
    public void run() {
        throw CliException.usage("give a subcommand: route add|ls|rm (see 'hearth route --help')");
    }

    static String target(JsonNode route) {
        return route.path("function").asText() + (route.hasNonNull("qualifier") ? ":" + route.path("qualifier").asText() : "");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Route METHOD PATH to a function, e.g. 'hearth route add GET /hello/{name} echo --auth none'.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "METHOD", description = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY.")
        String method;

        @Parameters(index = "1", paramLabel = "PATH", description = "Literal, {param} and a trailing {proxy+} segments.")
        String path;

        @Parameters(index = "2", paramLabel = "FUNCTION")
        String function;

        @Option(names = {"-q", "--qualifier"}, description = "An alias or version (default: the newest ready version).")
        String qualifier;

        @Option(names = "--auth", paramLabel = "none|token", description = "none: public; token (the default): your bearer token.")
        String auth = "token";

        @Option(names = "--host", description = "Answer only on this Host (one of the operator's route domains).")
        String host;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            JsonNode route = root.api().post("/v1/routes", Requests.fields("method", method.toUpperCase(Locale.ROOT), "path", path,
                    "function", function, "qualifier", qualifier, "auth", auth, "host", host));
            Output output = root.output();
            output.line(route.path("id").asText() + " " + route.path("method").asText() + " "
                    + (route.hasNonNull("host") ? route.path("host").asText() : "") + route.path("path").asText() + " -> " + target(route)
                    + " (auth " + route.path("auth").asText() + ")");
            output.document(route);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List your routes.")
    static final class Ls implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            JsonNode answer = root.api().get("/v1/routes");
            Output.Table table = new Output.Table("ID", "METHOD", "HOST", "PATH", "FUNCTION", "AUTH");
            for (JsonNode r : answer.path("routes")) {
                table.row(r.path("id").asText(), r.path("method").asText(), r.path("host").asText(null), r.path("path").asText(),
                        target(r), r.path("auth").asText());
            }
            Output output = root.output();
            if (!output.json() && table.isEmpty()) {
                output.note("no routes yet: 'hearth route add GET /path FUNCTION' makes one");
                return ExitCode.OK.code();
            }
            output.result(answer, table);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a route by its id (see 'hearth route ls').")
    static final class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            root.api().delete("/v1/routes/" + Requests.segment(id));
            Output output = root.output();
            output.line("deleted route " + id);
            output.document(HearthApi.JSON.createObjectNode().put("id", id).put("deleted", true));
            return ExitCode.OK.code();
        }
    }
}
