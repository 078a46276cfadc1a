package dev.hearth.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Function names as Hearth takes them: 1-64 letters, digits, {@code _} and {@code -}, starting with a letter or digit. */
final class FunctionNames {

    static final int MAX_LENGTH = 64;

    private FunctionNames() {}

    /** The name a folder or file stands for: its name (a file's without extension), made valid. */
    static String fromPath(Path root) {
        Path file = root.toAbsolutePath().normalize().getFileName();
        if (file == null) {
            throw CliException.usage("cannot name a function after " + root + ": give --name");
        }
        String name = file.toString();
        if (Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS) && name.lastIndexOf('.') > 0) {
            name = name.substring(0, name.lastIndexOf('.'));
        }
        String valid = sanitise(name);
        if (valid.isEmpty()) {
            throw CliException.usage("cannot name a function after '" + name + "': give --name");
        }
        return valid;
    }

    /** Other characters become {@code -}, runs of them one, leading ones dropped, cut to 64. */
    static String sanitise(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
            if (ok) {
                out.append(c);
            } else if (!out.isEmpty() && out.charAt(out.length() - 1) != '-') {
                out.append('-');
            }
        }
        while (!out.isEmpty() && !Character.isLetterOrDigit(out.charAt(0))) {
            out.deleteCharAt(0);
        }
        String cut = out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) : out.toString();
        while (cut.endsWith("-")) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
