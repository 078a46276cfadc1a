package dev.hearth.poolmanager.pool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/** Checks what an image function produced: Hearth's own agents are trusted to answer JSON, images are not. */
final class JsonCheck {

    private final ObjectReader reader;

    JsonCheck(ObjectMapper json) {
        this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** True when the bytes are exactly one JSON value. */
    boolean isJson(byte[] bytes) {
        try {
            JsonNode node = reader.readTree(bytes);
            return node != null && !node.isMissingNode();
        } catch (IOException e) {
            return false;
        }
    }
}
