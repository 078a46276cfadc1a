package dev.hearth.controlplane.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Request bodies: a valid template mutated field by field, or text that is not quite JSON at all. */
final class Bodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CODE = "def handler(event, context):\n    return event\n";

    private final Random random;

    Bodies(Random random) {
        this.random = random;
    }

    /** A source function that would be taken as it is; the fuzzer mutates it. */
    static ObjectNode function(String name) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("runtime", "python").put("handler", "main.handler");
        body.putObject("source").put("filename", "main.py").put("content", CODE);
        body.put("memoryMb", 128).put("timeoutMs", 3000);
        body.putObject("env").put("GREETING", "hello");
        return body;
    }

    /** A PATCH that would be taken as it is. */
    static ObjectNode patch() {
        return JSON.createObjectNode().put("timeoutMs", 2000).put("concurrency", 0);
    }

    static ObjectNode alias() {
        ObjectNode alias = JSON.createObjectNode().put("version", 1).put("description", "fuzzed");
        alias.putObject("weights").put("1", 0.5);
        return alias;
    }

    static ObjectNode route(String function) {
        return JSON.createObjectNode().put("method", "GET").put("path", "/fz/{id}/x").put("function", function)
                .put("auth", "none");
    }

    static ObjectNode url() {
        ObjectNode url = JSON.createObjectNode().put("auth", "token");
        ObjectNode cors = url.putObject("cors");
        cors.putArray("allowOrigins").add("https://example.com");
        cors.putArray("allowMethods").add("GET");
        cors.put("maxAge", 60);
        return url;
    }

    static ObjectNode credentials(String username, String password) {
        return JSON.createObjectNode().put("username", username).put("password", password);
    }

    /**
     * The template with one to three fields replaced by a hostile value, removed, or joined by an
     * unknown field. {@code fields} are dotted paths into the template.
     */
    byte[] mutated(ObjectNode template, List<String> fields) {
        ObjectNode body = template.deepCopy();
        List<String> raw = new ArrayList<>();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            String path = Values.pick(random, fields);
            ObjectNode parent = body;
            String[] steps = path.split("\\.");
            for (int s = 0; s < steps.length - 1; s++) {
                parent = parent.get(steps[s]) instanceof ObjectNode child ? child : parent.putObject(steps[s]);
            }
            String field = steps[steps.length - 1];
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    parent.put(field, "@@RAW" + raw.size() + "@@");
                    raw.add(random.nextInt(20) == 0 ? Values.nested(1 + random.nextInt(3000), random.nextBoolean())
                            : Values.pick(random, Values.FRAGMENTS));
                }
                case 2 -> parent.put(field, Values.pick(random, Values.STRINGS));
                case 3 -> parent.remove(field);
                default -> parent.put(Values.pick(random, List.of("extra", "NAME", "name ", "$where", "__proto__", "")),
                        Values.pick(random, Values.STRINGS));
            }
        }
        String text = body.toString();
        for (int i = 0; i < raw.size(); i++) {
            text = text.replace("\"@@RAW" + i + "@@\"", raw.get(i));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Text that is broken as JSON: truncated, bytes that are not UTF-8, deep nesting, JSON's near relatives. */
    byte[] broken(byte[] valid) {
        return switch (random.nextInt(10)) {
            case 0 -> Arrays.copyOf(valid, random.nextInt(Math.max(1, valid.length)));
            case 1 -> randomBytes(random.nextInt(300));
            case 2 -> withInvalidUtf8(valid);
            case 3 -> Values.nested(Values.pick(random, List.of(10, 999, 1001, 5_000, 100_000)), random.nextBoolean())
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid);
            case 5 -> Values.pick(random, List.of("{/* c */}", "{'a':1}", "{a:1}", "{\"a\":1,}", "[1,]", "{\"a\":NaN}",
                    "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":\"\t\"}", "{\"a\" 1}", "{}{}", "{}\u0000",
                    "\"just a string\"", "42", "null", "true", "[]", " ", "\n\n", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}"))
                    .getBytes(StandardCharsets.UTF_8);
            case 6 -> (new String(valid, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"name\":\"dup\",")).getBytes(StandardCharsets.UTF_8);
            case 7 -> ("{\"k\":\"" + "x".repeat(Values.pick(random, List.of(70_000, 600_000, 1_400_000))) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 8 -> ("{" + manyKeys(Values.pick(random, List.of(1_000, 20_000))) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            default -> new String(valid, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String manyKeys(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return out.toString();
    }

    byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] withInvalidUtf8(byte[] valid) {
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {0}};
        int at = 1 + random.nextInt(Math.max(1, valid.length - 1));
        return concat(Arrays.copyOf(valid, at), concat(bad[random.nextInt(bad.length)], Arrays.copyOfRange(valid, at, valid.length)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A base64 zip whose entries are hostile: names that cannot be made, climb out, or break the zip itself. */
    String hostileArchive() {
        List<String> names = new ArrayList<>(List.of("main.py"));
        switch (random.nextInt(9)) {
            case 0 -> names.addAll(List.of("a", "a/b"));
            case 1 -> names.add("p/" + "x".repeat(256));
            case 2 -> names.add("a/".repeat(2100) + "b.py");
            case 3 -> names.add("../evil.py");
            case 4 -> names.add("/abs.py");
            case 5 -> names.add("a\u0000b.py");
            case 6 -> names.add("new\nline.py");
            case 7 -> names.add("a\\..\\b.py");
            default -> names.add("ok/" + Values.pick(random, List.of("ünï.py", "函数.py", "\u202e.py", "sp ace.py")));
        }
        byte[] zip = zip(names);
        return switch (random.nextInt(6)) {
            case 0 -> Base64.getEncoder().encodeToString(Arrays.copyOf(zip, zip.length / 2));
            case 1 -> Base64.getEncoder().encodeToString(zip).substring(1);
            case 2 -> "%%%" + Base64.getEncoder().encodeToString(zip);
            case 3 -> Base64.getMimeEncoder().encodeToString(zip);
            case 4 -> Base64.getEncoder().encodeToString(randomBytes(64));
            default -> Base64.getEncoder().encodeToString(zip);
        };
    }

    private static byte[] zip(List<String> names) {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write((name.equals("main.py") ? CODE : "x = 1\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
