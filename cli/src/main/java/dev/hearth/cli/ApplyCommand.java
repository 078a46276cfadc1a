package dev.hearth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.deploy.Deployer;
import dev.hearth.cli.spec.Applier;
import dev.hearth.cli.spec.Existing;
import dev.hearth.cli.spec.Plan;
import dev.hearth.cli.spec.Planner;
import dev.hearth.cli.spec.Sources;
import dev.hearth.cli.spec.SpecReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hearth apply -f hearth.yaml [--dry-run] [--prune]}: reads the spec and what exists,
 * prints the plan, then makes Hearth what the spec says (README "Spec and dev loop"). A second
 * apply with nothing changed prints {@code nothing to change} and makes no write call.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Make Hearth what a spec (hearth.yaml) says: print the plan, then apply it.")
final class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The spec (default: hearth.yaml).")
    String file = "hearth.yaml";

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--prune", description = "Also delete the functions this spec made that it no longer names.")
    boolean prune;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        Output output = root.output();
        SpecReader.Read read = SpecReader.read(Path.of(file), file);
        Sources sources = Sources.resolve(read, file, output);
        HearthApi api = root.api();
        Existing existing = Existing.read(api, read.spec().functions().keySet());
        Plan plan = Planner.plan(read.spec().name(), sources.functions(), read.spec().routes(), existing, prune);
        plan.lines().forEach(output::line);
        plan.notes().forEach(output::note);

        ObjectNode document = plan.json();
        document.put("dryRun", dryRun);
        if (plan.isEmpty() || dryRun) {
            document.put("applied", false);
            if (dryRun && !plan.isEmpty()) {
                output.line("dry run: " + plan.summary() + "; nothing was changed");
            }
            output.document(document);
            return ExitCode.OK.code();
        }
        List<ObjectNode> results = new Applier(api, output, new Deployer()).apply(plan, sources, existing);
        ArrayNode changes = document.putArray("changes");
        results.forEach(changes::add);
        document.put("applied", true);
        output.line("applied: " + plan.summary().replace("to create", "created").replace("to change", "changed")
                .replace("to delete", "deleted"));
        output.document(document);
        return ExitCode.OK.code();
    }
}
