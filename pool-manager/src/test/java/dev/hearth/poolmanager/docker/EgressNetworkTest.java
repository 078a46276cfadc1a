package dev.hearth.poolmanager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An existing network of the egress name is used only if it is the one Hearth would make. */
class EgressNetworkTest {

    private static final EgressSettings SETTINGS = new EgressSettings("hearth-egress", "hearth-egress", EgressSettings.Firewall.HOST);

    private static Network network(String json) throws Exception {
        return new ObjectMapper().readValue(json, Network.class);
    }

    @Test
    void differences_noneForTheNetworkHearthMakes() throws Exception {
        Network made = network("""
                {"Name":"hearth-egress","Driver":"bridge","EnableIPv6":false,"Internal":false,
                 "Options":{"com.docker.network.bridge.enable_icc":"false","com.docker.network.bridge.name":"hearth-egress"},
                 "Labels":{"dev.hearth.network":"egress"}}
                """);
        assertEquals(List.of(), EgressNetwork.differences(made, SETTINGS));
    }

    @Test
    void differences_nameEachWayAForeignNetworkFallsShort() throws Exception {
        Network foreign = network("""
                {"Name":"hearth-egress","Driver":"bridge","EnableIPv6":true,"Internal":false,
                 "Options":{"com.docker.network.bridge.name":"br-other"},"Labels":{}}
                """);
        List<String> wrong = EgressNetwork.differences(foreign, SETTINGS);
        assertEquals(4, wrong.size(), wrong::toString);
        assertTrue(String.join(";", wrong).contains("inter-container"), wrong::toString);
        assertTrue(EgressNetwork.differences(network("{\"Name\":\"hearth-egress\",\"Driver\":\"macvlan\"}"), SETTINGS)
                .stream().anyMatch(w -> w.contains("macvlan")));
    }
}
