package dev.hearth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hearth logout}: forgets the stored token (the endpoint is kept for the next login). The
 * token itself stays valid until it expires; {@code DELETE /v1/tokens/{id}} revokes it.
 */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Forget the stored token.")
final class LogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        Profile stored = root.profile();
        Output output = root.output();
        boolean had = stored.token() != null;
        if (had) {
            new Profile(stored.endpointOrDefault(), null, null).save(root.env());
        }
        output.line(had ? "logged out of " + stored.endpointOrDefault() : "not logged in");
        output.document(HearthApi.JSON.createObjectNode().put("endpoint", stored.endpointOrDefault()).put("loggedOut", had));
        return ExitCode.OK.code();
    }
}
