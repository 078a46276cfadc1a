package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.cli.deploy.Deployer;
import dev.hearth.cli.deploy.Project;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hearth deploy [DIR|FILE]}: detects the runtime and handler, zips the code, creates the
 * function or makes a new version of it, shows its build, and prints the version once it is ready.
 * An update keeps the function's settings (memory, timeout, env, network) unless they are given:
 * a {@code PUT} would otherwise reset what is left out.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deploy a folder or a source file as a function.")
final class DeployCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CodeOptions code;

    @Option(names = {"-m", "--memory"}, paramLabel = "MB", description = "Memory in MiB (64-4096).")
    Integer memoryMb;

    @Option(names = {"-t", "--timeout"}, paramLabel = "MS", description = "Timeout in milliseconds (100-900000).")
    Integer timeoutMs;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "An environment variable (repeatable); replaces the stored set.")
    Map<String, String> env;

    @Option(names = "--description", description = "What this version changes.")
    String description;

    @Option(names = "--network", paramLabel = "none|egress", description = "none (the default) or egress: Internet access.")
    String network;

    @Override
    public Integer call() {
        HearthCommand root = HearthCommand.of(spec);
        Project project = code.project();
        HearthApi api = root.api();
        String function = code.functionName(project);
        JsonNode current = existing(api, function);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("memoryMb", memoryMb != null ? memoryMb : intOf(current, "memoryMb"));
        settings.put("timeoutMs", timeoutMs != null ? timeoutMs : intOf(current, "timeoutMs"));
        settings.put("env", env != null ? env : current == null ? null : HearthApi.JSON.convertValue(current.path("env"), Map.class));
        settings.put("network", network != null ? network : current == null ? null : current.path("network").asText(null));
        settings.put("description", description);
        Output output = root.output();
        JsonNode deployed = new Deployer().deploy(api, function, project, settings, output);
        output.line(deployed.path("name").asText(function) + " v" + deployed.path("version").asText() + " ready");
        output.document(deployed);
        return ExitCode.OK.code();
    }

    /** The function as it is, or null when there is none of that name. */
    private static JsonNode existing(HearthApi api, String name) {
        HearthApi.Reply reply = api.send("GET", "/v1/functions/" + Requests.segment(name), null, Map.of(), null);
        return reply.status() == 404 ? null : api.expectOk(reply).json();
    }

    private static Integer intOf(JsonNode function, String field) {
        return function == null || !function.path(field).isInt() ? null : function.path(field).asInt();
    }
}
