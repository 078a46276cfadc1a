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
 * The same no-op handler in each runtime (it returns its event), as files ready to load: Python
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

    private static final Map<String, Map<String, byte[]>> FILES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The code's files by their path in the code folder; made once per runtime (Java's is compiled). */
    static Map<String, byte[]> files(String runtime) {
        return FILES.computeIfAbsent(runtime, BenchCode::make);
    }

    private static Map<String, byte[]> make(String runtime) {
        return switch (runtime) {
            case "python" -> Map.of("main.py", utf8("def handler(event, context):\n    return event\n"));
            case "node" -> Map.of("index.js", utf8("exports.handler = async (event) => event;\n"));
            case "java" -> javaClasses();
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

    private static Map<String, byte[]> javaClasses() {
        try {
            Path dir = Files.createTempDirectory("hearth-bench-java");
            Path source = Files.createDirectories(dir.resolve("src/bench")).resolve("Echo.java");
            Files.writeString(source, """
                    package bench;
                    public class Echo {
                        public java.util.Map<String, Object> handle(java.util.Map<String, Object> event) {
                            return event;
                        }
                    }
                    """);
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
