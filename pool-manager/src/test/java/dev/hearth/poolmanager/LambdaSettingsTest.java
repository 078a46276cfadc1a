package dev.hearth.poolmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LambdaSettingsTest {

    @Test
    void regionsAndAccountsOfAwsShapes_areTaken() {
        var settings = new LambdaSettings("ap-southeast-2", "123456789012");

        assertEquals("ap-southeast-2", settings.region());
        assertEquals("us-gov-west-1", new LambdaSettings("us-gov-west-1", "000000000000").region());
    }

    @Test
    void otherShapes_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LambdaSettings("US-EAST-1", "000000000000"));
        assertThrows(IllegalArgumentException.class, () -> new LambdaSettings("us-east-1\nX=1", "000000000000"));
        assertThrows(IllegalArgumentException.class, () -> new LambdaSettings("us-east-1", "12345"));
        assertThrows(IllegalArgumentException.class, () -> new LambdaSettings("us-east-1", "12345678901a"));
    }
}
