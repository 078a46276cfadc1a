package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hearth get NAME}: one function, its fields one a line (all of them with {@code -o json}). */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one function.")
final class GetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        JsonNode f = root.api().get("/v1/functions/" + Requests.segment(name));
        Output output = root.output();
        if (output.json()) {
            output.document(f);
            return ExitCode.OK.code();
        }
        Output.Table table = new Output.Table("FIELD", "VALUE");
        f.fields().forEachRemaining(e -> table.row(e.getKey(), text(e.getValue())));
        table.printWithoutHeader(output.out());
        return ExitCode.OK.code();
    }

    static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
