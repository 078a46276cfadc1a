package dev.hearth.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.HearthApi;
import dev.hearth.cli.spec.Change.Action;
import dev.hearth.cli.spec.Change.UrlChange;
import dev.hearth.cli.spec.Spec.CorsSpec;
import dev.hearth.cli.spec.Spec.UrlSpec;
import java.util.ArrayList;
import java.util.List;

/** Whether a function's URL is as the spec says: made when missing, changed when it differs, removed when the spec has none. */
final class UrlDiff {

    private UrlDiff() {}

    /** The change that makes {@code existing} (null: none) what {@code wanted} (null: none) says, or null. */
    static UrlChange of(String function, UrlSpec wanted, JsonNode existing) {
        if (wanted == null) {
            return existing == null ? null : new UrlChange(Action.DELETE, function, null, List.of());
        }
        if (existing == null) {
            return new UrlChange(Action.CREATE, function, wanted, List.of());
        }
        List<String> reasons = new ArrayList<>();
        Planner.differs(reasons, "auth", existing.path("auth").asText(), wanted.auth());
        Planner.differs(reasons, "qualifier", existing.path("qualifier").asText(null), wanted.qualifier());
        JsonNode cors = existing.path("cors");
        JsonNode wantedCors = cors(wanted.cors());
        if (!(cors.isMissingNode() || cors.isNull() ? wantedCors == null : cors.equals(wantedCors))) {
            reasons.add(wantedCors == null ? "cors removed" : "cors changed");
        }
        return reasons.isEmpty() ? null : new UrlChange(Action.UPDATE, function, wanted, reasons);
    }

    /** CORS settings as the server shows them (lists, {@code maxAge} 0 and {@code allowCredentials} false when left out). */
    static ObjectNode cors(CorsSpec cors) {
        if (cors == null) {
            return null;
        }
        ObjectNode node = HearthApi.JSON.createObjectNode();
        cors.allowOrigins().forEach(node.putArray("allowOrigins")::add);
        cors.allowMethods().forEach(node.putArray("allowMethods")::add);
        cors.allowHeaders().forEach(node.putArray("allowHeaders")::add);
        cors.exposeHeaders().forEach(node.putArray("exposeHeaders")::add);
        node.put("maxAge", cors.maxAge() == null ? 0 : cors.maxAge());
        node.put("allowCredentials", Boolean.TRUE.equals(cors.allowCredentials()));
        return node;
    }
}
