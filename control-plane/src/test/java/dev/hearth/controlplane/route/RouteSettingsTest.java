package dev.hearth.controlplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.http.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteSettingsTest {

    @Test
    void noDomains_byDefault_soNoHostRouteIsTaken() {
        var none = RouteSettings.parse("");
        assertEquals(List.of(), none.hostDomains());
        var refused = assertThrows(ApiException.class, () -> none.checkHost("api.example.com"));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("HEARTH_ROUTE_DOMAINS"), refused.getMessage());
    }

    @Test
    void aListedDomain_allowsItselfAndItsSubdomains_only() {
        var settings = RouteSettings.parse(" Apps.Example.com , fn.test ");
        assertEquals(List.of("apps.example.com", "fn.test"), settings.hostDomains());
        settings.checkHost("apps.example.com");
        settings.checkHost("shop.apps.example.com");
        settings.checkHost("a.b.fn.test");
        for (String host : List.of("example.com", "evilapps.example.com", "apps.example.com.evil.org", "127.0.0.1", "test")) {
            assertEquals(400, assertThrows(ApiException.class, () -> settings.checkHost(host)).status(), host);
        }
    }

    @Test
    void aDomainThatIsNoDnsName_isRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> RouteSettings.parse("*.example.com"));
        assertThrows(IllegalArgumentException.class, () -> RouteSettings.parse("exa mple.com"));
    }
}
