package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hearth login}: gets a token for a username and password (or takes one given with
 * {@code --token}, checked first) and keeps it with the endpoint in the profile.
 */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Log in and keep the token in ~/.config/hearth/config (mode 0600).")
final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-e", "--endpoint"}, paramLabel = "URL", description = "Hearth's URL (default: the stored one, else " + Profile.DEFAULT_ENDPOINT + ").")
    String endpoint;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Use this token instead of a username and password.")
    String token;

    @Mixin
    Credentials credentials;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        Profile stored = root.profile();
        String url = endpoint != null ? endpoint : stored.endpointOrDefault();
        HearthApi.endpoint(url);
        Profile profile;
        if (token != null) {
            if (credentials.passwordStdin || credentials.password != null) {
                throw CliException.usage("give either --token or a password, not both");
            }
            root.output().warn("hearth: warning: a token on the command line is visible to other users of this machine; "
                    + "prefer HEARTH_TOKEN or a password from --password-stdin");
            // The token is checked before it is kept: listing one's own tokens needs a valid one.
            HearthApi.authenticated(new Profile(url, null, token)).get("/v1/tokens");
            profile = new Profile(url, credentials.username, token);
        } else {
            profile = login(root, url, credentials.read(root, false));
        }
        profile.save(root.env());
        report(root, profile, "logged in to ");
        return ExitCode.OK.code();
    }

    /** A new token for the user at {@code url}. */
    static Profile login(HearthCommand root, String url, Credentials.Pair user) {
        JsonNode answer = HearthApi.anonymous(url).post("/v1/tokens",
                Requests.fields("username", user.username(), "password", user.password()));
        return new Profile(url, user.username(), answer.path("token").asText());
    }

    static void report(HearthCommand root, Profile profile, String what) {
        Output output = root.output();
        output.line(what + profile.endpoint() + (profile.username() == null ? "" : " as " + profile.username()));
        output.document(HearthApi.JSON.createObjectNode().put("endpoint", profile.endpoint())
                .put("username", profile.username()).put("config", Profile.file(root.env()).toString()));
    }
}
