package dev.hearth.controlplane.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real CLI, run as users run it: {@code java -jar cli/target/hearth-cli.jar ARGS} in a process
 * of its own, with an environment the test gives (its own {@code HEARTH_CONFIG}, say) and none of
 * the test JVM's {@code HEARTH_*} variables.
 */
public final class CliProcess {

    /** How long a one-shot command may run (a Maven build included) before the test fails. */
    private static final Duration RUN_LIMIT = Duration.ofMinutes(6);

    private CliProcess() {}

    /** What a finished command left: its exit code and everything it printed. */
    public record Result(int exit, String stdout, String stderr) {
        /** stdout without its trailing newline. */
        public String out() {
            return stdout.stripTrailing();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** The CLI's jar, built by the reactor before control-plane ({@code -Dhearth.cli.jar} overrides). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("hearth.cli.jar", "../cli/target/hearth-cli.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the cli module first (mvn -pl cli package)");
        }
        return jar;
    }

    /** Runs one command to its end. */
    public static Result run(Map<String, String> env, String... args) {
        return run(env, null, args);
    }

    /** Runs one command to its end with {@code stdin} as its input (null: none). */
    public static Result run(Map<String, String> env, byte[] stdin, String... args) {
        Running running = start(env, args);
        try {
            if (stdin != null) {
                running.process.getOutputStream().write(stdin);
            }
            running.process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return running.waitFor(RUN_LIMIT);
    }

    /** Starts a long-lived command ({@code logs -f}, {@code dev}); its output is read as it comes. */
    public static Running start(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("HEARTH_") || k.equals("COLUMNS"));
        builder.environment().putAll(env);
        try {
            return new Running(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command still running, with what it printed so far. */
    public static final class Running {
        private final Process process;
        private final List<String> out = new ArrayList<>();
        private final List<String> err = new ArrayList<>();
        private final Thread outReader;
        private final Thread errReader;

        private Running(Process process) {
            this.process = process;
            this.outReader = reader(process.getInputStream(), out);
            this.errReader = reader(process.getErrorStream(), err);
        }

        public long pid() {
            return process.pid();
        }

        /**
         * Waits until a line on stdout or stderr matches, and returns it; fails the test with
         * everything printed so far when none does within {@code limit} or the process ends first.
         */
        public String awaitLine(Predicate<String> matches, Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            int seenOut = 0;
            int seenErr = 0;
            while (true) {
                synchronized (this) {
                    for (; seenOut < out.size(); seenOut++) {
                        if (matches.test(out.get(seenOut))) {
                            return out.get(seenOut);
                        }
                    }
                    for (; seenErr < err.size(); seenErr++) {
                        if (matches.test(err.get(seenErr))) {
                            return err.get(seenErr);
                        }
                    }
                    boolean ended = !process.isAlive() && !outReader.isAlive() && !errReader.isAlive();
                    long left = deadline - System.nanoTime();
                    if (ended || left <= 0) {
                        throw new AssertionError((ended ? "the CLI ended (exit " + process.exitValue() + ")" : "no matching line within " + limit)
                                + " before printing the line awaited\n--- stdout\n" + String.join("\n", out)
                                + "\n--- stderr\n" + String.join("\n", err));
                    }
                    try {
                        wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted");
                    }
                }
            }
        }

        /** Sends SIGINT, as Ctrl-C in a terminal does (nothing when the command has already ended). */
        public void interrupt() {
            if (!process.isAlive()) {
                return;
            }
            try {
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0 && process.isAlive()) {
                    throw new AssertionError("kill -INT " + process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }

        /** Waits for the command to end; one still running after {@code limit} is killed and fails the test. */
        public Result waitFor(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    outReader.join(5_000);
                    errReader.join(5_000);
                    throw new AssertionError("the CLI did not end within " + limit + "\n" + snapshot(-1));
                }
                outReader.join(10_000);
                errReader.join(10_000);
                return snapshot(process.exitValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted");
            }
        }

        /** Kills the process if it still runs (for a test's clean-up). */
        public void destroy() {
            process.destroyForcibly();
        }

        private synchronized Result snapshot(int exit) {
            return new Result(exit, joined(out), joined(err));
        }

        private static String joined(List<String> lines) {
            StringBuilder text = new StringBuilder();
            lines.forEach(l -> text.append(l).append('\n'));
            return text.toString();
        }

        private Thread reader(InputStream stream, List<String> into) {
            Thread thread = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (Running.this) {
                            into.add(line);
                            Running.this.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // The process ended; what it printed is kept.
                } finally {
                    synchronized (Running.this) {
                        Running.this.notifyAll();
                    }
                }
            }, "cli-output");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }
    }
}
