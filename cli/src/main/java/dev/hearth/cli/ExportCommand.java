package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.spec.Existing;
import dev.hearth.cli.spec.Exporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hearth export [NAME…]}: the spec of what exists, as YAML on stdout ({@code -o json}: as
 * JSON), for {@code hearth apply} to read back. Code is not downloaded: the API serves none.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write the spec (hearth.yaml) of your functions as they are.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "The functions to export (default: all of them).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        HearthApi api = root.api();
        List<String> all = new ArrayList<>();
        api.functions().forEach(f -> all.add(f.path("name").asText()));
        List<String> wanted = names.isEmpty() ? all : names;
        for (String name : wanted) {
            if (!all.contains(name)) {
                throw new CliException(ExitCode.NOT_FOUND, "no function named '" + name + "'");
            }
        }
        Existing existing = Existing.read(api, wanted);
        dev.hearth.cli.spec.Spec exported = Exporter.export(existing, wanted);
        Output output = root.output();
        if (output.json()) {
            JsonNode document = Exporter.json(exported);
            output.document(document);
        } else {
            output.out().print(Exporter.yaml(exported, api.endpoint().toString()));
            output.note("code is not downloaded: put each function's code at its 'code' path before 'hearth apply'");
        }
        return ExitCode.OK.code();
    }
}
