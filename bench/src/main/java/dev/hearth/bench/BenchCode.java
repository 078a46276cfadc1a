package dev.hearth.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;

/**
 * The same no-op handler in each runtime (it returns its event), and the same HTTP handler (it
 * answers {@code {"statusCode": 200, "body": "ok"}} to any event), as files ready to load: Python
 * and Node as source, Java compiled here into a class, so no build is involved anywhere.
 */
final class BenchCode {

    private BenchCode() {}

    static final List<String> RUNTIMES = List.of("python", "node", "java");

    static String handler(String runtime) {
        return switch (runtime) {
            case "python" -> "main.handler";
            case "node" -> "index.handler";
            case "java" -> "bench.Echo::handle";
            default -> throw new IllegalArgumentException(runtime);
        };
    }

    /** The HTTP handler's name in {@link #okFiles}. */
    static String okHandler(String runtime) {
        return runtime.equals("java") ? "bench.Ok::handle" : handler(runtime);
    }

    private static final Map<String, Map<String, byte[]>> FILES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, Map<String, byte[]>> OK_FILES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The code's files by their path in the code folder; made once per runtime (Java's is compiled). */
    static Map<String, byte[]> files(String runtime) {
        return FILES.computeIfAbsent(runtime, BenchCode::make);
    }

    /** The HTTP handler's files: every call answers {@code {"statusCode": 200, "body": "ok"}}. */
    static Map<String, byte[]> okFiles(String runtime) {
        return OK_FILES.computeIfAbsent(runtime, BenchCode::makeOk);
    }

    private static Map<String, byte[]> make(String runtime) {
        return switch (runtime) {
            case "python" -> Map.of("main.py", utf8("def handler(event, context):\n    return event\n"));
            case "node" -> Map.of("index.js", utf8("exports.handler = async (event) => event;\n"));
            case "java" -> javaClasses("Echo", """
                    package bench;
                    public class Echo {
                        public java.util.Map<String, Object> handle(java.util.Map<String, Object> event) {
                            return event;
                        }
                    }
                    """);
            default -> throw new IllegalArgumentException(runtime);
        };
    }

    private static Map<String, byte[]> makeOk(String runtime) {
        return switch (runtime) {
            case "python" -> Map.of("main.py", utf8("def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"ok\"}\n"));
            case "node" -> Map.of("index.js", utf8("exports.handler = async () => ({ statusCode: 200, body: \"ok\" });\n"));
            case "java" -> javaClasses("Ok", """
                    package bench;
                    public class Ok {
                        public java.util.Map<String, Object> handle(java.util.Map<String, Object> event) {
                            return java.util.Map.of("statusCode", 200, "body", "ok");
                        }
                    }
                    """);
            default -> throw new IllegalArgumentException(runtime);
        };
    }

    /** The files as a zip, the form Hearth takes code in. */
    static byte[] zip(Map<String, byte[]> files) {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            for (var file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTime(0);
                zip.putNextEntry(entry);
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The class {@code bench.<name>} compiled from {@code code}, as its class files. */
    private static Map<String, byte[]> javaClasses(String name, String code) {
        try {
            Path dir = Files.createTempDirectory("hearth-bench-java");
            Path source = Files.createDirectories(dir.resolve("src/bench")).resolve(name + ".java");
            Files.writeString(source, code);
            Path classes = Files.createDirectories(dir.resolve("classes"));
            var compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler == null) {
                throw new IllegalStateException("the benchmark needs a JDK (javac) to compile its Java handler");
            }
            int status = compiler.run(null, null, null, "--release", "17", "-d", classes.toString(), source.toString());
            if (status != 0) {
                throw new IllegalStateException("javac failed with status " + status);
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(classes.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
