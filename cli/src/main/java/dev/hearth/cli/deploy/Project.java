package dev.hearth.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A function's code on disk, and what Hearth needs to know to run it: the runtime and handler,
 * detected from the files as Lambda and Hearth name them (README "Creating a function"), and
 * whether the server will build it. {@code root} is a folder, or one source file.
 *
 * <p>Detection, in order: {@code pom.xml} (Java, Maven; the handler is the class in
 * {@code src/main/java} implementing {@code RequestHandler}/{@code RequestStreamHandler} or
 * declaring {@code handleRequest}), {@code package.json} (Node; its {@code main}, else
 * {@code index.js|mjs|cjs}), {@code requirements.txt} or Python files ({@code lambda_function.py},
 * {@code main.py}, {@code handler.py}, or a lone {@code .py}), then {@code index.js|mjs|cjs} or a
 * lone {@code .js|.mjs|.cjs}, then Java sources. A runtime or handler given by the user wins.
 */
public record Project(Path root, String runtime, String handler, boolean needsBuild) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PYTHON_ENTRIES = List.of("lambda_function.py", "main.py", "handler.py");
    private static final List<String> NODE_ENTRIES = List.of("index.js", "index.mjs", "index.cjs");
    private static final Pattern PY_FUNCTION = Pattern.compile("(?m)^(?:async\\s+)?def\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    public Project {
        if (root == null || runtime == null || handler == null) {
            throw new IllegalArgumentException("root, runtime and handler are required");
        }
    }

    /** Is the code one source file rather than a folder? */
    public boolean singleFile() {
        return Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The project at {@code dirOrFile}. {@code runtime} and {@code handler} override what the files
     * say (either may be null); a folder with nothing recognisable is a usage error naming it and
     * what was looked for.
     */
    public static Project detect(Path dirOrFile, String runtime, String handler) {
        Path root = dirOrFile.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(root)) {
            throw CliException.usage(dirOrFile + " is a symbolic link; give the folder or file it points to");
        }
        if (Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
            return detectFile(root, runtime, handler);
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw CliException.usage(dirOrFile + ": no such folder or file");
        }
        Family wanted = runtime == null ? null : Family.of(runtime);
        Detected found = detectFolder(root, wanted);
        if (found == null && handler != null && wanted != null) {
            found = new Detected(wanted, handler, wanted == Family.JAVA || has(root, wanted.manifest));
        }
        if (found == null) {
            throw CliException.usage("no function found in " + dirOrFile + ": looked for "
                    + (wanted == null ? "pom.xml, package.json, requirements.txt, lambda_function.py, main.py, handler.py, index.js, index.mjs, or a lone .py, .js or .java file"
                                      : wanted.lookedFor())
                    + " (or give --runtime and --handler)");
        }
        if (found.handler == null && handler == null) {
            throw CliException.usage("no handler found in " + dirOrFile + " (a " + found.family.manifest + " project): looked for "
                    + found.family.handlerHint() + " (or give --handler)");
        }
        String runtimeId = runtime != null ? runtime : found.family.id;
        return new Project(root, runtimeId, handler != null ? handler : found.handler, found.needsBuild);
    }

    private static Project detectFile(Path file, String runtime, String handler) {
        String name = file.getFileName().toString();
        Family family = runtime != null ? Family.of(runtime) : Family.ofFile(name);
        if (family == null) {
            throw CliException.usage("cannot tell the runtime of " + name + ": give a .py, .js, .mjs, .cjs or .java file, or --runtime");
        }
        String found = handler != null ? handler : switch (family) {
            case PYTHON -> pythonHandler(file);
            case NODE -> stem(name) + ".handler";
            case JAVA -> JavaSources.handler(List.of(file), file.getParent());
        };
        if (found == null) {
            throw CliException.usage("no handler found in " + name + ": looked for " + family.handlerHint() + " (or give --handler)");
        }
        return new Project(file, runtime != null ? runtime : family.id, found, family == Family.JAVA);
    }

    /** What a folder holds; {@code handler} null when the files name none. */
    private record Detected(Family family, String handler, boolean needsBuild) {}

    private static Detected detectFolder(Path root, Family wanted) {
        if ((wanted == null || wanted == Family.JAVA) && has(root, "pom.xml")) {
            return new Detected(Family.JAVA, JavaSources.handler(JavaSources.under(root.resolve("src").resolve("main").resolve("java")), root), true);
        }
        if ((wanted == null || wanted == Family.NODE) && has(root, "package.json")) {
            return new Detected(Family.NODE, nodeHandlerFromPackage(root), true);
        }
        if (wanted == null || wanted == Family.PYTHON) {
            String handler = pythonFolderHandler(root);
            if (handler != null) {
                return new Detected(Family.PYTHON, handler, has(root, "requirements.txt"));
            }
        }
        if (wanted == null || wanted == Family.NODE) {
            String handler = nodeFolderHandler(root);
            if (handler != null) {
                return new Detected(Family.NODE, handler, false);
            }
        }
        if (wanted == null || wanted == Family.JAVA) {
            List<Path> sources = JavaSources.under(root);
            if (!sources.isEmpty()) {
                return new Detected(Family.JAVA, JavaSources.handler(sources, root), true);
            }
        }
        return null;
    }

    /** The language a runtime id names: Hearth's ({@code python}) or Lambda's ({@code python3.13}). */
    enum Family {
        PYTHON("python", "requirements.txt"), NODE("node", "package.json"), JAVA("java", "pom.xml");

        final String id;
        final String manifest;

        Family(String id, String manifest) {
            this.id = id;
            this.manifest = manifest;
        }

        static Family of(String runtime) {
            String r = runtime.toLowerCase(Locale.ROOT);
            if (r.startsWith("python")) {
                return PYTHON;
            }
            if (r.startsWith("node")) {
                return NODE;
            }
            if (r.startsWith("java")) {
                return JAVA;
            }
            throw CliException.usage("unknown runtime '" + runtime + "'; Hearth has python, node, java (or Lambda's python3.13, nodejs20.x, java21)");
        }

        static Family ofFile(String name) {
            if (name.endsWith(".py")) {
                return PYTHON;
            }
            if (name.endsWith(".js") || name.endsWith(".mjs") || name.endsWith(".cjs")) {
                return NODE;
            }
            return name.endsWith(".java") ? JAVA : null;
        }

        String lookedFor() {
            return switch (this) {
                case PYTHON -> "requirements.txt, lambda_function.py, main.py, handler.py or a lone .py file";
                case NODE -> "package.json, index.js, index.mjs or a lone .js file";
                case JAVA -> "pom.xml or .java sources with a class implementing RequestHandler";
            };
        }

        String handlerHint() {
            return switch (this) {
                case PYTHON -> "a 'def handler(event, context)' or 'def lambda_handler(event, context)'";
                case NODE -> "exports.handler";
                case JAVA -> "a class implementing RequestHandler or RequestStreamHandler, or declaring handleRequest";
            };
        }
    }

    private static String pythonFolderHandler(Path root) {
        for (String entry : PYTHON_ENTRIES) {
            if (has(root, entry)) {
                String handler = pythonHandler(root.resolve(entry));
                return handler != null ? handler : stem(entry) + (entry.equals("lambda_function.py") ? ".lambda_handler" : ".handler");
            }
        }
        List<Path> files = topLevel(root, name -> name.endsWith(".py"));
        if (files.size() == 1) {
            return pythonHandler(files.get(0));
        }
        return null;
    }

    /** {@code module.lambda_handler} or {@code module.handler}, whichever the file defines (Lambda's name first). */
    private static String pythonHandler(Path file) {
        String module = stem(file.getFileName().toString());
        List<String> functions = new ArrayList<>();
        Matcher m = PY_FUNCTION.matcher(read(file));
        while (m.find()) {
            functions.add(m.group(1));
        }
        for (String name : List.of("lambda_handler", "handler")) {
            if (functions.contains(name)) {
                return module + "." + name;
            }
        }
        return functions.size() == 1 ? module + "." + functions.get(0) : null;
    }

    private static String nodeHandlerFromPackage(Path root) {
        try {
            JsonNode pkg = JSON.readTree(read(root.resolve("package.json")));
            String main = pkg.path("main").asText("");
            if (!main.isEmpty()) {
                String path = main.startsWith("./") ? main.substring(2) : main;
                String module = Stream.of(".js", ".mjs", ".cjs").anyMatch(path::endsWith) ? path.substring(0, path.lastIndexOf('.')) : path;
                return module + ".handler";
            }
        } catch (IOException e) {
            throw CliException.usage("package.json in " + root.getFileName() + " is not JSON: fix it, or give --handler");
        }
        return nodeFolderHandler(root);
    }

    private static String nodeFolderHandler(Path root) {
        for (String entry : NODE_ENTRIES) {
            if (has(root, entry)) {
                return "index.handler";
            }
        }
        List<Path> files = topLevel(root, name -> Family.ofFile(name) == Family.NODE);
        return files.size() == 1 ? stem(files.get(0).getFileName().toString()) + ".handler" : null;
    }

    private static List<Path> topLevel(Path root, java.util.function.Predicate<String> name) {
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && name.test(p.getFileName().toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw CliException.usage("cannot read " + root + ": " + e.getMessage());
        }
    }

    private static boolean has(Path root, String name) {
        return Files.isRegularFile(root.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * A source or manifest as text, to look for a handler in; empty when it is over
     * {@link #MAX_SCANNED} (no handler is guessed from it: the defaults or {@code --handler} apply,
     * and the bundle's limits say what is too large to deploy), so a huge file is never read whole.
     */
    static String read(Path file) {
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_SCANNED + 1);
            return bytes.length > MAX_SCANNED ? "" : new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The most of one file read to find a handler in: far more than any handwritten source. */
    static final int MAX_SCANNED = 8 * 1024 * 1024;

    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? fileName : fileName.substring(0, dot);
    }
}
