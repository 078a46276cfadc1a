package dev.hearth.controlplane.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FunctionRefTest {

    @Test
    void everyFormLambdaTakes_namesTheFunctionAndQualifier() {
        assertEquals(new FunctionRef("shop", null), FunctionRef.parse("shop", null));
        assertEquals(new FunctionRef("shop", "prod"), FunctionRef.parse("shop", "prod"));
        assertEquals(new FunctionRef("shop", "prod"), FunctionRef.parse("shop:prod", null));
        assertEquals(new FunctionRef("shop", "3"), FunctionRef.parse("123456789012:function:shop:3", null));
        assertEquals(new FunctionRef("shop", null), FunctionRef.parse("arn:aws:lambda:us-east-1:123456789012:function:shop", null));
        assertEquals(new FunctionRef("shop", "prod"),
                FunctionRef.parse("arn:aws:lambda:eu-west-3:000000000000:function:shop:prod", "prod"));
    }

    @Test
    void conflictingOrMalformedNames_are400() {
        assertEquals(400, assertThrows(LambdaError.class, () -> FunctionRef.parse("shop:prod", "dev")).status());
        assertEquals(400, assertThrows(LambdaError.class, () -> FunctionRef.parse("arn:aws:s3:::bucket:x:y", null)).status());
        assertEquals(400, assertThrows(LambdaError.class, () -> FunctionRef.parse("a:b:c", null)).status());
        assertEquals(400, assertThrows(LambdaError.class, () -> FunctionRef.parse("shop:", null)).status());
        assertEquals(400, assertThrows(LambdaError.class, () -> FunctionRef.parse("", null)).status());
        assertEquals("InvalidParameterValueException",
                assertThrows(LambdaError.class, () -> FunctionRef.parse("x".repeat(171), null)).code());
    }
}
