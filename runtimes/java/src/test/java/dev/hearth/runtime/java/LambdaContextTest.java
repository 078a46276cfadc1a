package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaContextTest {

    private static final Map<String, String> LAMBDA_ENV = Map.of("AWS_LAMBDA_FUNCTION_NAME", "orders",
            "AWS_LAMBDA_FUNCTION_VERSION", "12", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512", "AWS_REGION", "eu-west-3",
            "HEARTH_ACCOUNT_ID", "123456789012", "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/orders",
            "AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/22/[12]abc123");
    private final LambdaLogger logger = new CapturedLogger(new LogCapture(() -> 0));

    private LambdaContext context(long deadline) {
        return context(Map.of(), deadline);
    }

    private LambdaContext context(Map<String, String> env, long deadline) {
        FunctionConfig function = new FunctionConfig("a.B", "/code", "orders", "12", 512, 3000, env);
        return new LambdaContext(FunctionIdentity.of(function), "req-9", deadline, logger, () -> 10_000L);
    }

    @Test
    void getters_withLambdaEnvironment_haveLambdasShapes() {
        LambdaContext context = context(LAMBDA_ENV, 13_000);
        assertEquals("req-9", context.getAwsRequestId());
        assertEquals("orders", context.getFunctionName());
        assertEquals("12", context.getFunctionVersion());
        assertEquals("arn:aws:lambda:eu-west-3:123456789012:function:orders", context.getInvokedFunctionArn());
        assertEquals("/aws/lambda/orders", context.getLogGroupName());
        assertEquals("2026/11/22/[12]abc123", context.getLogStreamName());
        assertEquals(512, context.getMemoryLimitInMB());
        assertNull(context.getIdentity());
        assertNull(context.getClientContext());
    }

    @Test
    void aQualifiedCall_seesItsQualifierInTheArn_andItsClientContext() {
        FunctionConfig function = new FunctionConfig("a.B", "/code", "orders", "12", 512, 3000, LAMBDA_ENV);
        String header = java.util.Base64.getEncoder().encodeToString(("{\"client\":{\"installation_id\":\"i-1\",\"app_title\":\"Shop\"},"
                + "\"custom\":{\"tier\":\"gold\",\"n\":3},\"env\":{\"locale\":\"fr\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LambdaContext context = new LambdaContext(FunctionIdentity.of(function), "req-9", 13_000, logger, () -> 10_000L,
                "prod", CallerContext.of(header));
        assertEquals("arn:aws:lambda:eu-west-3:123456789012:function:orders:prod", context.getInvokedFunctionArn());
        assertEquals("i-1", context.getClientContext().getClient().getInstallationId());
        assertEquals("Shop", context.getClientContext().getClient().getAppTitle());
        assertNull(context.getClientContext().getClient().getAppPackageName());
        assertEquals(Map.of("tier", "gold", "n", "3"), context.getClientContext().getCustom());
        assertEquals(Map.of("locale", "fr"), context.getClientContext().getEnvironment());
    }

    @Test
    void aClientContextThatCannotBeRead_isNone() {
        assertNull(CallerContext.of(null));
        assertNull(CallerContext.of("%%%"));
        assertNull(CallerContext.of(java.util.Base64.getEncoder().encodeToString("[1]".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertNull(CallerContext.of(java.util.Base64.getEncoder().encodeToString("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).getClient());
    }

    @Test
    void arn_withoutRegionOrAccount_usesTheDocumentedDefaults() {
        LambdaContext context = context(Map.of("AWS_LAMBDA_FUNCTION_NAME", "orders"), 13_000);
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:orders", context.getInvokedFunctionArn());
        assertEquals("/aws/lambda/orders", context.getLogGroupName());
    }

    @Test
    void memory_fromTheEnvironment_winsUnlessItIsNotANumber() {
        assertEquals(1024, context(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"), 13_000).getMemoryLimitInMB());
        assertEquals(512, context(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots"), 13_000).getMemoryLimitInMB());
    }

    @Test
    void getters_withoutLambdaEnvironment_fallBackToTheInitFields() {
        LambdaContext context = context(13_000);
        assertEquals("req-9", context.getAwsRequestId());
        assertEquals("orders", context.getFunctionName());
        assertEquals("12", context.getFunctionVersion());
        assertEquals("/hearth/orders", context.getLogGroupName());
        assertEquals("12", context.getLogStreamName());
        assertEquals("hrn:hearth:function:orders:12", context.getInvokedFunctionArn());
        assertEquals(512, context.getMemoryLimitInMB());
        assertNull(context.getIdentity());
        assertNull(context.getClientContext());
        assertSame(logger, context.getLogger());
    }

    @Test
    void getRemainingTimeInMillis_countsDownToDeadline() {
        assertEquals(3000, context(13_000).getRemainingTimeInMillis());
    }

    @Test
    void getRemainingTimeInMillis_pastDeadline_isZero() {
        assertEquals(0, context(9_000).getRemainingTimeInMillis());
    }

    @Test
    void getRemainingTimeInMillis_farDeadline_isCappedAtIntMax() {
        assertEquals(Integer.MAX_VALUE, context(Long.MAX_VALUE).getRemainingTimeInMillis());
    }
}
