package dev.hearth.controlplane.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A request spelled byte by byte: request line, headers as given, a Content-Length that matches the body. */
final class Request {

    private final String method;
    private final String target;
    private final List<String> headers = new ArrayList<>();
    private byte[] body;

    Request(String method, String target) {
        this.method = method;
        this.target = target;
    }

    String target() {
        return target;
    }

    Request header(String name, String value) {
        headers.add(name + ": " + value);
        return this;
    }

    /** A header line exactly as given, CR and LF included. */
    Request rawHeader(String line) {
        headers.add(line);
        return this;
    }

    Request bearer(String token) {
        return token == null ? this : header("Authorization", "Bearer " + token);
    }

    Request body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    Request json(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] bytes() {
        var out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1\r\n");
        for (String line : headers) {
            head.append(line).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        // ISO-8859-1 keeps the bytes a caller chose; non-Latin text in a line arrives as UTF-8 bytes of it.
        out.writeBytes(latin1OrUtf8(head.toString()));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] latin1OrUtf8(String text) {
        return text.chars().allMatch(c -> c < 256) ? text.getBytes(StandardCharsets.ISO_8859_1) : text.getBytes(StandardCharsets.UTF_8);
    }

    String describe() {
        String line = method + " " + target;
        return (line.length() > 160 ? line.substring(0, 160) + "..." : line) + " +" + headers.size() + " headers "
                + headers.stream().map(h -> h.length() > 40 ? h.substring(0, 40) + "..." : h).distinct().limit(6).toList() + ", "
                + (body == null ? "no body" : body.length + "-byte body");
    }
}
