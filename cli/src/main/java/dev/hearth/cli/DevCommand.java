package dev.hearth.cli;

import dev.hearth.cli.deploy.Deployer;
import dev.hearth.cli.deploy.Project;
import dev.hearth.cli.dev.DevLoop;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hearth dev [DIR] [--name N]}: deploys the folder, then redeploys it on every save and
 * prints the function's log lines, until Ctrl-C (README "Spec and dev loop").
 */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Deploy a folder, then redeploy it on every save and show its logs, until Ctrl-C.")
final class DevCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR|FILE", description = "The code (default: the current folder).")
    Path path = Path.of(".");

    @Option(names = {"-n", "--name"}, description = "The function's name (default: the folder's or file's, made valid).")
    String name;

    @Option(names = {"-r", "--runtime"}, description = "python, node or java (default: detected).")
    String runtime;

    @Option(names = "--handler", description = "The handler, such as main.handler (default: detected).")
    String handler;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        HearthApi api = root.api();
        Project project = Project.detect(path, runtime, handler);
        String function = name != null ? name : FunctionNames.fromPath(project.root());
        return new DevLoop(api, root.output(), new DevLoop.Options(path, function, runtime, handler), new Deployer()).run();
    }
}
