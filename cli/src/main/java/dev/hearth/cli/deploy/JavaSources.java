package dev.hearth.cli.deploy;

import dev.hearth.cli.CliException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a Java handler in sources by reading them as text (no compiler: a guess the user can
 * override with {@code --handler}, and the server's build has the last word).
 */
final class JavaSources {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([A-Za-z_$][A-Za-z0-9_$.]*)\\s*;");
    private static final Pattern HANDLER_CLASS = Pattern.compile(
            "\\bclass\\s+([A-Za-z_$][A-Za-z0-9_$]*)[^{]*\\bimplements\\b[^{]*\\b(?:RequestHandler|RequestStreamHandler)\\b");
    private static final Pattern ANY_CLASS = Pattern.compile("\\bclass\\s+([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final Pattern HANDLE_REQUEST = Pattern.compile("\\bhandleRequest\\s*\\(");

    private JavaSources() {}

    /**
     * The Java handler among {@code sources}: a class implementing Lambda's handler interfaces,
     * else one declaring {@code handleRequest}, else a lone source's class. Several candidates are
     * a usage error listing them.
     */
    static String handler(List<Path> sources, Path root) {
        List<String> implementing = new ArrayList<>();
        List<String> declaring = new ArrayList<>();
        for (Path source : sources) {
            String text = Project.read(source);
            String pkg = matchOne(PACKAGE, text);
            String prefix = pkg == null ? "" : pkg + ".";
            String cls = matchOne(HANDLER_CLASS, text);
            if (cls != null) {
                implementing.add(prefix + cls);
            } else if (HANDLE_REQUEST.matcher(text).find() && (cls = matchOne(ANY_CLASS, text)) != null) {
                declaring.add(prefix + cls + "::handleRequest");
            }
        }
        List<String> candidates = !implementing.isEmpty() ? implementing : declaring;
        if (candidates.size() > 1) {
            throw CliException.usage("several handler classes in " + root.getFileName() + " (" + String.join(", ", candidates)
                    + "): pick one with --handler");
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (sources.size() == 1) {
            String text = Project.read(sources.get(0));
            String pkg = matchOne(PACKAGE, text);
            return (pkg == null ? "" : pkg + ".") + Project.stem(sources.get(0).getFileName().toString());
        }
        return null;
    }

    /** The {@code .java} files under {@code dir}, sorted, tool folders ({@link Bundle#SKIPPED}) left out. */
    static List<Path> under(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(dir) && Bundle.skipsFolder(d.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".java")) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw CliException.usage("cannot read " + dir + ": " + e.getMessage());
        }
        found.sort(null);
        return found;
    }

    private static String matchOne(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
