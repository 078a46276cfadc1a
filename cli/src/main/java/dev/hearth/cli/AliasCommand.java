package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hearth alias set|ls|rm}: names for versions, with an optional canary share. */
@Command(name = "alias", mixinStandardHelpOptions = true, description = "Point names at versions (set, ls, rm).",
        subcommands = {AliasCommand.Set.class, AliasCommand.Ls.class, AliasCommand.Rm.class})
final class AliasCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("give a subcommand: alias set|ls|rm (see 'hearth alias --help')");
    }

    static String path(String function, String alias) {
        return "/v1/functions/" + Requests.segment(function) + "/aliases" + (alias == null ? "" : "/" + Requests.segment(alias));
    }

    static String weights(JsonNode alias) {
        StringBuilder out = new StringBuilder();
        alias.path("weights").fields().forEachRemaining(e -> out.append(out.isEmpty() ? "" : ",").append("v").append(e.getKey())
                .append("=").append(e.getValue().asText()));
        return out.isEmpty() ? null : out.toString();
    }

    // No standard -V/--version here: --version is the version the alias names.
    @Command(name = "set", description = "Create an alias or repoint it (a rollback is a set to the old version).")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "NAME")
        String function;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Option(names = {"-v", "--version"}, required = true, paramLabel = "N", description = "The version the alias names.")
        long version;

        @Option(names = {"-w", "--weight"}, paramLabel = "VERSION=SHARE",
                description = "Send this share (0 < SHARE < 1) of calls to another version, e.g. --weight 3=0.1.")
        Map<String, Double> weight;

        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            Map<String, Object> weights = null;
            if (weight != null) {
                weights = new LinkedHashMap<>();
                for (var e : weight.entrySet()) {
                    String v = e.getKey().startsWith("v") ? e.getKey().substring(1) : e.getKey();
                    if (!v.matches("[0-9]{1,18}")) {
                        throw CliException.usage("--weight takes VERSION=SHARE, such as 3=0.1; got '" + e.getKey() + "'");
                    }
                    weights.put(v, e.getValue());
                }
            }
            JsonNode answer = root.api().put(path(function, alias), Requests.fields("version", version, "weights", weights, "description", description));
            Output output = root.output();
            String split = weights(answer);
            output.line(function + ":" + alias + " -> v" + answer.path("version").asText() + (split == null ? "" : " (" + split + ")"));
            output.document(answer);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List a function's aliases.")
    static final class Ls implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String function;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            JsonNode answer = root.api().get(path(function, null));
            Output.Table table = new Output.Table("ALIAS", "VERSION", "WEIGHTS", "UPDATED", "DESCRIPTION");
            for (JsonNode a : answer.path("aliases")) {
                table.row(a.path("name").asText(), a.path("version").asText(), weights(a), a.path("updatedAt").asText(null),
                        a.path("description").asText(null));
            }
            Output output = root.output();
            if (!output.json() && table.isEmpty()) {
                output.note(function + " has no aliases: 'hearth alias set " + function + " ALIAS --version N' makes one");
                return ExitCode.OK.code();
            }
            output.result(answer, table);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete an alias.")
    static final class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String function;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Override
        public Integer call() {
            HearthCommand root = HearthCommand.of(spec);
            root.api().delete(path(function, alias));
            Output output = root.output();
            output.line("deleted alias " + function + ":" + alias);
            output.document(HearthApi.JSON.createObjectNode().put("function", function).put("alias", alias).put("deleted", true));
            return ExitCode.OK.code();
        }
    }
}
