package dev.hearth.poolmanager.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * Whether bytes are JSON: what an image function or an {@code exec} process produced is checked,
 * since Hearth's own agents are trusted to answer JSON and images are not.
 */
public final class JsonCheck {

    /** Jackson's default limits (nesting, number and string length) bound what is accepted. */
    private static final ObjectReader READER = new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonCheck() {}

    /** True when the bytes are exactly one JSON value. */
    public static boolean isJson(byte[] bytes) {
        try {
            JsonNode node = READER.readTree(bytes);
            return node != null && !node.isMissingNode();
        } catch (IOException e) {
            return false;
        }
    }
}
