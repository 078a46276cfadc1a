package dev.hearth.runtime.java;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Owns the agent's own diagnostics: they go to the process's real stderr, never to the function's log. */
final class Diagnostics {

    private static final PrintStream STDERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private Diagnostics() {
    }

    static void log(String message) {
        STDERR.println("[hearth-agent] " + message);
    }

    static void log(String message, Throwable error) {
        synchronized (STDERR) {
            log(message);
            error.printStackTrace(STDERR);
        }
    }
}
