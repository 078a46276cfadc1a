package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.Language;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What each language accepts, following Lambda's conventions: handler strings, source file
 * names, where the handler's code must be in an archive, and whether code needs a build. A
 * function given with Lambda's runtime identifier ({@code python3.13}) gets Lambda's default
 * handler; one given with Hearth's ({@code python}) keeps Hearth's. Every JVM runtime
 * ({@code java}, {@code java25}) follows the same rules.
 */
enum LanguageRules {

    /**
     * {@code module.function}; {@code pkg.mod.function} for a module in a package; as Lambda,
     * {@code src/module.function} for a module in a folder.
     */
    PYTHON("python", "main.handler", "lambda_function.lambda_handler",
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*/)*[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+"), List.of(".py")) {
        @Override
        List<String> handlerFiles(String handler) {
            String module = handler.substring(0, handler.lastIndexOf('.')).replace('.', '/');
            return List.of(module + ".py", module + "/__init__.py");
        }

        @Override
        boolean needsBuild(Set<String> files) {
            return files.contains("requirements.txt");
        }
    },

    /**
     * {@code file.export}, the file relative to the code root ({@code src/app.handler}); as on
     * Lambda the file name ends at its first dot and the export may be nested
     * ({@code src/app.routes.get}); a file name with dots ({@code my.module.handler}) still works.
     */
    NODE("node", "index.handler", "index.handler", Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*\\.[A-Za-z_$][A-Za-z0-9_$]*"),
            List.of(".js", ".mjs", ".cjs")) {
        @Override
        List<String> handlerFiles(String handler) {
            int slash = handler.lastIndexOf('/');
            String lambdaModule = handler.substring(0, handler.indexOf('.', slash + 1));
            String module = handler.substring(0, handler.lastIndexOf('.'));
            return (lambdaModule.equals(module) ? List.of(module) : List.of(lambdaModule, module)).stream()
                    .flatMap(m -> Stream.of(m + ".js", m + ".mjs", m + ".cjs")).toList();
        }

        @Override
        boolean needsBuild(Set<String> files) {
            return files.contains("package.json") && files.stream().noneMatch(f -> f.startsWith("node_modules/"));
        }
    },

    /** {@code pkg.Class} (a RequestHandler) or {@code pkg.Class::method}; the package may be the unnamed one ({@code Hello}). */
    JAVA("java", null, null, Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*(::[A-Za-z_$][A-Za-z0-9_$]*)?"),
            List.of(".java")) {
        @Override
        List<String> handlerFiles(String handler) {
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            String simple = className.substring(className.lastIndexOf('.') + 1);
            return List.of(className.replace('.', '/') + ".class", simple + ".java");
        }

        /** Sources may sit in any folder; javac does not care, and neither does Lambda. */
        @Override
        boolean holdsHandler(Set<String> files, String handler) {
            List<String> expected = handlerFiles(handler);
            return files.stream().anyMatch(f -> f.equals(expected.get(0)) || f.equals(expected.get(1)) || f.endsWith("/" + expected.get(1)));
        }

        /** Compiled code (class files, jars) runs as it is; sources and Maven projects are built. */
        @Override
        boolean needsBuild(Set<String> files) {
            return files.contains("pom.xml") || files.stream().anyMatch(f -> f.endsWith(".java"));
        }

        /** A Maven project's classes are only known after the build. */
        @Override
        boolean handlerCheckable(Set<String> files) {
            return !files.contains("pom.xml") && files.stream().noneMatch(f -> f.endsWith(".jar"));
        }
    };

    /** The language's name in messages. */
    private final String name;
    private final String defaultHandler;
    private final String lambdaDefaultHandler;
    private final Pattern handlerPattern;
    private final List<String> sourceExtensions;

    LanguageRules(String name, String defaultHandler, String lambdaDefaultHandler, Pattern handlerPattern,
                  List<String> sourceExtensions) {
        this.name = name;
        this.defaultHandler = defaultHandler;
        this.lambdaDefaultHandler = lambdaDefaultHandler;
        this.handlerPattern = handlerPattern;
        this.sourceExtensions = sourceExtensions;
    }

    static LanguageRules of(Language language) {
        return language.jvm() ? JAVA : valueOf(language.name());
    }

    /** The handler of a function given with Hearth's runtime id: {@code given}, or Hearth's default. */
    String handler(String given) {
        return checkHandler(given == null ? defaultHandler : given);
    }

    /** The handler of a function given with Lambda's runtime identifier: {@code given}, or Lambda's default. */
    String lambdaHandler(String given) {
        return checkHandler(given == null ? lambdaDefaultHandler : given);
    }

    private String checkHandler(String handler) {
        if (handler == null) {
            throw ApiException.badRequest("handler is required for " + name + " (for example example.Hello or example.Hello::handleRequest)");
        }
        // Python's and Node's patterns need a module and a function in it; a Java class may be in the unnamed package.
        if (!handlerPattern.matcher(handler).matches() || handler.contains("..")) {
            throw ApiException.badRequest("handler '" + handler + "' is not a " + name + " handler; for example "
                    + (defaultHandler == null ? "example.Hello::handleRequest" : defaultHandler));
        }
        return handler;
    }

    boolean acceptsSourceFile(String filename) {
        return sourceExtensions.stream().anyMatch(filename::endsWith);
    }

    String sourceExtensionsText() {
        return String.join(", ", sourceExtensions);
    }

    /** Any one of these files in the code holds the handler. */
    abstract List<String> handlerFiles(String handler);

    boolean holdsHandler(Set<String> files, String handler) {
        return handlerFiles(handler).stream().anyMatch(files::contains);
    }

    abstract boolean needsBuild(Set<String> files);

    boolean handlerCheckable(Set<String> files) {
        return true;
    }
}
