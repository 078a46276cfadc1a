package dev.hearth.cli.spec;

import dev.hearth.cli.CliException;
import dev.hearth.cli.Output;
import dev.hearth.cli.deploy.Bundle;
import dev.hearth.cli.deploy.Project;
import dev.hearth.cli.spec.Spec.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    /**
     * The code's path, which must lie in the spec's folder, as written and once links are
     * resolved: a spec comes with a repository, and a {@code code} of {@code ../..}, of an absolute
     * path or through a linked folder would upload whatever it names (the user's home, its keys,
     * their Hearth token) as the code of a function whose handler the repository's author wrote.
     */
    private static Path codePath(Path folder, FunctionSpec spec) {
        Path code = folder.resolve(spec.code()).normalize();
        boolean inside = code.startsWith(folder);
        if (inside && Files.exists(code, LinkOption.NOFOLLOW_LINKS)) {
            try {
                inside = code.toRealPath().startsWith(folder.toRealPath());
            } catch (IOException e) {
                throw CliException.usage("cannot read " + spec.code() + ": " + e.getMessage());
            }
        }
        if (!inside) {
            throw CliException.usage("'" + spec.code() + "' is outside the spec's folder: code must be in the folder of "
                    + "the spec file or below it (and not reached through a link)");
        }
        return code;
    }
}
