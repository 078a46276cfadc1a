package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaContextTest {

    private final FunctionConfig function = new FunctionConfig("a.B", "/code", "orders", "12", 512, 3000, Map.of());
    private final LambdaLogger logger = new CapturedLogger(new LogCapture(() -> 0));

    private LambdaContext context(long deadline) {
        return new LambdaContext(function, "req-9", deadline, logger, () -> 10_000L);
    }

    @Test
    void getters_describeFunctionAndInvocation() {
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
