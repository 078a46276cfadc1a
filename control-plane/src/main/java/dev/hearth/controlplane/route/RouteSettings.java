package dev.hearth.controlplane.route;

import dev.hearth.controlplane.http.ApiException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which hosts tenants may give their routes ({@code HEARTH_ROUTE_DOMAINS}): the names listed and
 * their subdomains, none by default. A host route wins over every host-less route on its host,
 * so a host must be one the operator hands out (never the name clients reach Hearth's API by),
 * and it belongs to the first user who routes on it.
 */
public record RouteSettings(List<String> hostDomains) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public RouteSettings {
        hostDomains = List.copyOf(hostDomains);
        for (String domain : hostDomains) {
            if (!NAME.matcher(domain).matches()) {
                throw new IllegalArgumentException("HEARTH_ROUTE_DOMAINS: '" + domain + "' is not a DNS name");
            }
        }
    }

    /** {@code HEARTH_ROUTE_DOMAINS}: comma-separated DNS names; blank for none. */
    public static RouteSettings parse(String domains) {
        return new RouteSettings(java.util.Arrays.stream(domains.split(",")).map(String::trim).filter(d -> !d.isEmpty())
                .map(d -> d.toLowerCase(Locale.ROOT)).toList());
    }

    /** 400 unless {@code host} (lower-case, checked to be a DNS name) is a listed name or under one. */
    void checkHost(String host) {
        for (String domain : hostDomains) {
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return;
            }
        }
        throw ApiException.badRequest(hostDomains.isEmpty()
                ? "routes with a host are off on this server (the operator lists the domains tenants may use in HEARTH_ROUTE_DOMAINS)"
                : "host must be one of, or under, " + String.join(", ", hostDomains) + "; got '" + host + "'");
    }
}
