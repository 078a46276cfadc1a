package dev.hearth.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;

/**
 * The username and password options {@code login} and {@code signup} share, and how a missing one
 * is asked for: on the terminal (the password without echo), never from argv unless
 * {@code --password} is given explicitly, which is warned about (other users see argv in {@code ps}).
 */
final class Credentials {

    /** bcrypt reads no more than 72 bytes; the server refuses longer passwords, so nothing more is read. */
    private static final int MAX_STDIN_PASSWORD = 4096;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "Your username (asked for on a terminal when left out).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input (its first line).")
    boolean passwordStdin;

    @Option(names = "--password", paramLabel = "PASSWORD", hidden = true,
            description = "The password itself: visible to other users of this machine; prefer --password-stdin.")
    String password;

    record Pair(String username, String password) {}

    /** The username and password, asked for on the terminal where not given. */
    Pair read(HearthCommand root, boolean confirm) {
        Console console = root.console();
        String user = username;
        if (user == null) {
            if (console == null) {
                throw CliException.usage("give --username (there is no terminal to ask on)");
            }
            user = console.readLine("username: ");
            if (user == null || user.isBlank()) {
                throw CliException.usage("no username given");
            }
            user = user.strip();
        }
        String secret;
        if (password != null) {
            if (passwordStdin) {
                throw CliException.usage("give either --password or --password-stdin, not both");
            }
            root.output().warn("hearth: warning: a password on the command line is visible to other users of this machine; prefer --password-stdin");
            secret = password;
        } else if (passwordStdin) {
            secret = firstLine(root.in());
        } else {
            if (console == null) {
                throw CliException.usage("give --password-stdin and the password on standard input (there is no terminal to ask on)");
            }
            char[] typed = console.readPassword("password: ");
            if (typed == null) {
                throw CliException.usage("no password given");
            }
            secret = new String(typed);
            if (confirm) {
                char[] again = console.readPassword("password again: ");
                if (again == null || !secret.equals(new String(again))) {
                    throw CliException.usage("the passwords do not match");
                }
            }
        }
        if (secret.isEmpty()) {
            throw CliException.usage("the password is empty");
        }
        return new Pair(user, secret);
    }

    /** The first line of standard input, without its line ending. */
    static String firstLine(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_STDIN_PASSWORD);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw CliException.usage("cannot read the password from standard input: " + e.getMessage());
        }
    }
}
