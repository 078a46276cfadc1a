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
    /** Sent as chunked transfer encoding; with {@link #chunkSize}, the first chunk's size line is that text. */
    private boolean chunked;
    private String chunkSize;
    /** A Content-Length to declare instead of the body's own. */
    private Long declaredLength;
    /** Milliseconds between the pieces the body is sent in; 0 sends the request in one write. */
    private int pauseMillis;
    /** Undertow's request parser may refuse this request itself with a bare 400 (a control character in a header). */
    private boolean parserMayRefuse;

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

    Request chunked(String firstSize) {
        this.chunked = true;
        this.chunkSize = firstSize;
        return this;
    }

    Request declaredLength(long length) {
        this.declaredLength = length;
        return this;
    }

    Request slowly(int pauseMillis) {
        this.pauseMillis = pauseMillis;
        return this;
    }

    Request parserMayRefuse() {
        this.parserMayRefuse = true;
        return this;
    }

    boolean mayBeRefusedByTheParser() {
        return parserMayRefuse;
    }

    int pauseMillis() {
        return pauseMillis;
    }

    /** The request in the pieces it is sent in: the head with the first part of the body, then the rest in three. */
    List<byte[]> pieces() {
        byte[] all = bytes();
        if (pauseMillis == 0 || body == null || body.length < 4) {
            return List.of(all);
        }
        List<byte[]> pieces = new ArrayList<>();
        int head = all.length - encodedBody().length;
        int step = (all.length - head) / 3 + 1;
        pieces.add(java.util.Arrays.copyOfRange(all, 0, head));
        for (int at = head; at < all.length; at += step) {
            pieces.add(java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + step)));
        }
        return pieces;
    }

    private byte[] encodedBody() {
        if (!chunked) {
            return body;
        }
        var out = new ByteArrayOutputStream();
        int half = body.length / 2;
        String first = chunkSize != null ? chunkSize : Integer.toHexString(half);
        out.writeBytes((first + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, half);
        out.writeBytes(("\r\n" + Integer.toHexString(body.length - half) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, half, body.length - half);
        out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
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
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else {
                head.append("Content-Length: ").append(declaredLength != null ? declaredLength : body.length).append("\r\n");
            }
        } else if (declaredLength != null) {
            head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(declaredLength).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        // ISO-8859-1 keeps the bytes a caller chose; non-Latin text in a line arrives as UTF-8 bytes of it.
        out.writeBytes(latin1OrUtf8(head.toString()));
        if (body != null) {
            out.writeBytes(encodedBody());
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
                + (body == null ? "no body" : body.length + "-byte body") + (chunked ? ", chunked" + (chunkSize != null
                ? " with size line '" + chunkSize + "'" : "") : "") + (declaredLength != null ? ", declared " + declaredLength : "")
                + (pauseMillis > 0 ? ", " + pauseMillis + " ms between pieces" : "");
    }
}
