package dev.hearth.cli;

import dev.hearth.cli.deploy.Project;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code deploy} and {@code dev} share: the code, and the name, runtime and handler that override detection. */
final class CodeOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR|FILE", description = "The code (default: the current folder).")
    Path path = Path.of(".");

    @Option(names = {"-n", "--name"}, description = "The function's name (default: the folder's or file's, made valid).")
    String name;

    @Option(names = {"-r", "--runtime"},
            description = "python, node, java or java25, or Lambda's python3.13, nodejs20.x, java21 (default: detected).")
    String runtime;

    @Option(names = "--handler", description = "The handler, such as main.handler or example.Hello (default: detected).")
    String handler;

    /** The code as detected, the options winning over what the files say. */
    Project project() {
        return Project.detect(path, runtime, handler);
    }

    /** The function's name: the option's, else the code's folder or file, made valid. */
    String functionName(Project project) {
        return name != null ? name : FunctionNames.fromPath(project.root());
    }
}
