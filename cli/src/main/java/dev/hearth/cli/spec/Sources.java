package dev.hearth.cli.spec;

import dev.hearth.cli.CliException;
import dev.hearth.cli.Output;
import dev.hearth.cli.deploy.Bundle;
import dev.hearth.cli.deploy.Project;
import dev.hearth.cli.spec.Spec.FunctionSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's functions with their code found and digested: each {@code code} path (relative to
 * the spec file) detected as a {@link Project} and zipped as a {@link Bundle}, whose digest is
 * what the server will report as {@code sourceSha256}.
 *
 * @param projects the project of each source function, by name, to deploy from
 */
public record Sources(List<Desired> functions, Map<String, Project> projects) {

    public static Sources resolve(SpecReader.Read read, String shown, Output output) {
        List<Desired> functions = new ArrayList<>();
        Map<String, Project> projects = new LinkedHashMap<>();
        read.spec().functions().forEach((name, spec) -> {
            if (spec.imageFunction()) {
                functions.add(new Desired(name, spec, new Desired.Image(spec.image(), spec.contract())));
                return;
            }
            Project project;
            Bundle bundle;
            try {
                project = Project.detect(codePath(read.folder(), spec), spec.runtime(), spec.handler());
                bundle = Bundle.of(project);
            } catch (CliException e) {
                throw new CliException(e.exitCode(), shown + ": functions." + name + ".code: " + e.getMessage());
            }
            bundle.notes().forEach(note -> output.note(name + ": " + note));
            projects.put(name, project);
            functions.add(new Desired(name, spec, new Desired.Source(project.runtime(), project.handler(), bundle.sha256(),
                    project.needsBuild())));
        });
        return new Sources(functions, projects);
    }

    private static Path codePath(Path folder, FunctionSpec spec) {
        return folder.resolve(spec.code()).normalize();
    }
}
