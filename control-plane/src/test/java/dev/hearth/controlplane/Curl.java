package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What {@code curl -i} printed: the status, the header lines (names lower-cased) and the body's bytes. */
record Curl(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    List<String> all(String name) {
        return headers.stream().filter(h -> h.getKey().equals(name)).map(Map.Entry::getValue).toList();
    }

    String header(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(0);
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
        return Api.JSON.readTree(body);
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + text();
    }

    /** Runs {@code curl -sS -i <args>} as a process and parses what it printed. */
    static Curl run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "60"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(70, TimeUnit.SECONDS), "curl did not end");
        assertEquals(0, process.exitValue(), () -> "curl " + command + " failed");
        int end = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(end > 0, () -> "no header block in " + new String(out, StandardCharsets.ISO_8859_1));
        String[] lines = new String(out, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(Map.entry(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip()));
        }
        byte[] body = new byte[out.length - end - 4];
        System.arraycopy(out, end + 4, body, 0, body.length);
        return new Curl(status, headers, body);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
