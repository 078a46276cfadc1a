package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hearth versions NAME}: a function's versions, newest first; {@code *} marks the one the name serves. */
@Command(name = "versions", mixinStandardHelpOptions = true, description = "List a function's versions, newest first.")
final class VersionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        HearthApi api = root.api();
        String path = "/v1/functions/" + Requests.segment(name);
        JsonNode answer = api.get(path + "/versions");
        Output output = root.output();
        if (output.json()) {
            output.document(answer);
            return ExitCode.OK.code();
        }
        long serving = api.get(path).path("version").asLong();
        Output.Table table = new Output.Table("VERSION", "STATUS", "CREATED", "CODE", "MEMORY", "TIMEOUT", "DESCRIPTION");
        for (JsonNode v : answer.path("versions")) {
            String code = v.has("image") ? v.path("image").asText() : v.path("runtime").asText() + " " + v.path("handler").asText();
            String sha = v.path("codeSha256").asText(v.path("sourceSha256").asText(""));
            table.row((v.path("version").asLong() == serving ? "*" : " ") + v.path("version").asText(), v.path("status").asText(),
                    v.path("createdAt").asText(), code + (sha.length() >= 12 ? " " + sha.substring(0, 12) : ""),
                    v.path("settings").path("memoryMb").asText() + " MB", v.path("settings").path("timeoutMs").asText() + " ms",
                    v.path("description").asText(null));
        }
        output.result(answer, table);
        return ExitCode.OK.code();
    }
}
