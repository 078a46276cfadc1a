package dev.hearth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hearth whoami}: the endpoint and user the stored token is for, once the server has accepted it. */
@Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show the endpoint and user you are logged in as.")
final class WhoamiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        Profile profile = root.profile();
        root.api().get("/v1/tokens");
        Output output = root.output();
        output.line((profile.username() == null ? "(a token)" : profile.username()) + " at " + profile.endpointOrDefault());
        output.document(HearthApi.JSON.createObjectNode().put("endpoint", profile.endpointOrDefault()).put("username", profile.username()));
        return ExitCode.OK.code();
    }
}
