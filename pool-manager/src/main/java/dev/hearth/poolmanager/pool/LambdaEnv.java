package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.LambdaSettings;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.docker.ContainerSpec;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a source function runs in, as Lambda's reserved variables name it
 * ({@code AWS_REGION}, {@code AWS_LAMBDA_FUNCTION_NAME}, {@code LAMBDA_TASK_ROOT}, ...), plus
 * {@code HEARTH_ACCOUNT_ID} for the ARNs agents build; the function's own variables are laid over
 * it, so one of the same name wins. Agents receive it at {@code /init}, pooled and cold alike.
 */
final class LambdaEnv {

    /** Where the function's code is inside the container: the agent's {@code codeDir}. */
    static final String TASK_ROOT = ContainerSpec.MOUNT_POINT + "/code";
    /** Where every runtime image keeps its agent. */
    static final String RUNTIME_DIR = "/opt/hearth";
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final LambdaSettings settings;
    private final Clock clock;

    /** @param clock the time the log stream's date is read from */
    LambdaEnv(LambdaSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The variables for {@code function} loaded into {@code container}; the function's own last. */
    Map<String, String> of(FunctionSpec function, Workload.Source source, ContainerHandle container) {
        String version = Long.toString(function.version());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", settings.region());
        env.put("AWS_DEFAULT_REGION", settings.region());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", STREAM_DATE.format(clock.instant()) + "/[" + version + "]" + container.localId());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + source.language().lambdaRuntime());
        env.put("LAMBDA_TASK_ROOT", TASK_ROOT);
        env.put("LAMBDA_RUNTIME_DIR", RUNTIME_DIR);
        env.put("_HANDLER", source.handler());
        env.put("TZ", ":UTC");
        env.put("HEARTH_ACCOUNT_ID", settings.accountId());
        env.putAll(function.env());
        return env;
    }
}
