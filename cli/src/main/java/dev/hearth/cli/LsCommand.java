package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hearth ls}: the user's functions, one a line (every page of them). */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List your functions.")
final class LsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        List<JsonNode> functions = root.api().functions();
        Output.Table table = new Output.Table("NAME", "VERSION", "RUNTIME", "STATUS", "MEMORY", "TIMEOUT");
        for (JsonNode f : functions) {
            String runtime = f.has("image") ? f.path("image").asText() : f.path("runtime").asText();
            String status = f.path("status").asText()
                    + (f.has("update") ? " (v" + f.path("update").path("version").asText() + " " + f.path("update").path("status").asText() + ")" : "");
            table.row(f.path("name").asText(), f.path("version").asText(), runtime, status,
                    f.path("memoryMb").asText() + " MB", f.path("timeoutMs").asText() + " ms");
        }
        Output output = root.output();
        if (!output.json() && table.isEmpty()) {
            output.note("no functions yet: 'hearth deploy DIR' creates one");
            return ExitCode.OK.code();
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.putArray("functions").addAll(functions);
        output.result(answer, table);
        return ExitCode.OK.code();
    }
}
