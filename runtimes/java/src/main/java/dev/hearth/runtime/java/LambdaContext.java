package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.function.LongSupplier;

/**
 * Owns what one invocation tells its handler about itself: aws-lambda-java-core's {@link Context}.
 * As on Lambda for a synchronous invoke, {@link #getIdentity()} and {@link #getClientContext()} are null.
 */
final class LambdaContext implements Context {

    private final FunctionIdentity function;
    private final String requestId;
    private final long deadlineEpochMs;
    private final LambdaLogger logger;
    private final LongSupplier clock;

    LambdaContext(FunctionIdentity function, String requestId, long deadlineEpochMs, LambdaLogger logger, LongSupplier clock) {
        this.function = function;
        this.requestId = requestId;
        this.deadlineEpochMs = deadlineEpochMs;
        this.logger = logger;
        this.clock = clock;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return function.logGroupName();
    }

    @Override
    public String getLogStreamName() {
        return function.logStreamName();
    }

    @Override
    public String getFunctionName() {
        return function.functionName();
    }

    @Override
    public String getFunctionVersion() {
        return function.functionVersion();
    }

    @Override
    public String getInvokedFunctionArn() {
        return function.invokedFunctionArn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long left = deadlineEpochMs - clock.getAsLong();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int getMemoryLimitInMB() {
        return function.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    @Override
    public String toString() {
        return "LambdaContext[" + getInvokedFunctionArn() + ", requestId=" + requestId + "]";
    }
}
