package dev.hearth.controlplane.invoke;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CallbackAddressTest {

    @Test
    void loopbackPrivateAndLinkLocalAddresses_areRefused() throws Exception {
        for (String host : new String[] {"127.0.0.1", "localhost", "10.1.2.3", "192.168.0.10", "172.16.5.5",
                "169.254.169.254", "0.0.0.0", "::1", "fd00::1", "fe80::1"}) {
            assertNotNull(AsyncInvocations.privateAddress(host), host);
        }
    }

    @Test
    void publicAddresses_areAllowed() throws Exception {
        assertNull(AsyncInvocations.privateAddress("93.184.215.14"));
        assertNull(AsyncInvocations.privateAddress("2606:4700::1111"));
    }
}
