package dev.hearth.runtime.java;

import java.util.Map;

/**
 * Owns what the Java context says the function is, in Lambda's shapes: built once at /init from
 * the Lambda variables Hearth puts in the function's environment ({@code AWS_LAMBDA_FUNCTION_NAME},
 * {@code _VERSION}, {@code _MEMORY_SIZE}, {@code AWS_LAMBDA_LOG_GROUP_NAME}, {@code _LOG_STREAM_NAME},
 * {@code AWS_REGION}, {@code HEARTH_ACCOUNT_ID}), each falling back to the /init request's own
 * fields (and Hearth's earlier names) when the variable is absent.
 */
record FunctionIdentity(String functionName, String functionVersion, int memoryMb, String invokedFunctionArn,
                        String logGroupName, String logStreamName) {

    static final String DEFAULT_REGION = "us-east-1";
    static final String DEFAULT_ACCOUNT_ID = "000000000000";

    static FunctionIdentity of(FunctionConfig config) {
        Map<String, String> env = config.env();
        String name = value(env, "AWS_LAMBDA_FUNCTION_NAME", config.functionName());
        String version = value(env, "AWS_LAMBDA_FUNCTION_VERSION", config.functionVersion());
        int memory = memory(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), config.memoryMb());
        boolean lambdaEnv = env.containsKey("AWS_LAMBDA_FUNCTION_NAME");
        // No qualifier in the ARN: the version is the context's functionVersion (a documented difference).
        String arn = lambdaEnv
                ? "arn:aws:lambda:" + value(env, "AWS_REGION", DEFAULT_REGION) + ":"
                        + value(env, "HEARTH_ACCOUNT_ID", DEFAULT_ACCOUNT_ID) + ":function:" + name
                : "hrn:hearth:function:" + name + ":" + version;
        String group = value(env, "AWS_LAMBDA_LOG_GROUP_NAME", lambdaEnv ? "/aws/lambda/" + name : "/hearth/" + name);
        String stream = value(env, "AWS_LAMBDA_LOG_STREAM_NAME", version);
        return new FunctionIdentity(name, version, memory, arn, group, stream);
    }

    private static String value(Map<String, String> env, String key, String fallback) {
        String value = env.get(key);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static int memory(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int mb = Integer.parseInt(value.trim());
            return mb > 0 ? mb : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
