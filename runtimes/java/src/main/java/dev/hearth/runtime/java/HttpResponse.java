package dev.hearth.runtime.java;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP response: status, extra headers and a body sent as the concatenation of its parts. */
record HttpResponse(int status, Map<String, String> headers, List<byte[]> body) {

    static HttpResponse json(int status, byte[] json) {
        return new HttpResponse(status, new LinkedHashMap<>(), List.of(json));
    }

    static HttpResponse json(int status, String json) {
        return json(status, json.getBytes(StandardCharsets.UTF_8));
    }

    int contentLength() {
        int length = 0;
        for (byte[] part : body) {
            length += part.length;
        }
        return length;
    }
}
