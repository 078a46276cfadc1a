package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.function.LongSupplier;

/**
 * Owns what one invocation tells its handler about itself: aws-lambda-java-core's {@link Context}.
 * As on Lambda, {@link #getIdentity()} is null (Hearth has no Cognito), {@link #getClientContext()} is
 * the caller's {@code X-Amz-Client-Context} (null without one), and the invoked ARN ends in the
 * qualifier the caller named.
 */
final class LambdaContext implements Context {

    private final FunctionIdentity function;
    private final String requestId;
    private final long deadlineEpochMs;
    private final LambdaLogger logger;
    private final LongSupplier clock;
    private final String qualifier;
    private final ClientContext clientContext;

    LambdaContext(FunctionIdentity function, String requestId, long deadlineEpochMs, LambdaLogger logger, LongSupplier clock) {
        this(function, requestId, deadlineEpochMs, logger, clock, null, null);
    }

    /**
     * @param qualifier     the alias, version or {@code $LATEST} the caller named; null for an unqualified call
     * @param clientContext the caller's client context; null without one
     */
    LambdaContext(FunctionIdentity function, String requestId, long deadlineEpochMs, LambdaLogger logger, LongSupplier clock,
                  String qualifier, ClientContext clientContext) {
        this.function = function;
        this.requestId = requestId;
        this.deadlineEpochMs = deadlineEpochMs;
        this.logger = logger;
        this.clock = clock;
        this.qualifier = qualifier == null || qualifier.isEmpty() ? null : qualifier;
        this.clientContext = clientContext;
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
        return qualifier == null ? function.invokedFunctionArn() : function.invokedFunctionArn() + ":" + qualifier;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return clientContext;
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
