package dev.hearth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hearth signup}: creates a user, then logs in as it. */
@Command(name = "signup", mixinStandardHelpOptions = true, description = "Create a user on Hearth, then log in as it.")
final class SignupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-e", "--endpoint"}, paramLabel = "URL", description = "Hearth's URL (default: the stored one, else " + Profile.DEFAULT_ENDPOINT + ").")
    String endpoint;

    @Mixin
    Credentials credentials;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        String url = endpoint != null ? endpoint : root.profile().endpointOrDefault();
        HearthApi.endpoint(url);
        Credentials.Pair user = credentials.read(root, true);
        HearthApi.anonymous(url).post("/v1/users", Requests.fields("username", user.username(), "password", user.password()));
        Profile profile = LoginCommand.login(root, url, user);
        profile.save(root.env());
        LoginCommand.report(root, profile, "signed up and logged in to ");
        return ExitCode.OK.code();
    }
}
