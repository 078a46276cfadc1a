package dev.hearth.cli;

import dev.hearth.cli.deploy.Deployer;
import dev.hearth.cli.deploy.Project;
import dev.hearth.cli.dev.DevLoop;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code hearth dev [DIR] [--name N]}: deploys the folder, then redeploys it on every save and
 * prints the function's log lines, until Ctrl-C (README "Spec and dev loop").
 */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Deploy a folder, then redeploy it on every save and show its logs, until Ctrl-C.")
final class DevCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CodeOptions code;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        HearthApi api = root.api();
        Project project = code.project();
        return new DevLoop(api, root.output(), new DevLoop.Options(code.path, code.functionName(project), code.runtime, code.handler),
                new Deployer()).run();
    }
}
