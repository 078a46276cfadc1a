package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the agent process: {@code Agent <socketPath>} listens on the Unix socket (bound under a
 * temporary name, then renamed, so the path appears only once it accepts), serves each
 * connection on its own thread, and hands requests to the {@link Dispatcher}.
 * Before it listens it rehearses a first call in-process ({@link Training#rehearse}).
 * {@code Agent --train} instead runs the image build's training pass.
 */
public final class Agent {

    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private Agent() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--train")) {
            Training.run();
            return;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            Diagnostics.log("usage: java -jar hearth-java-agent.jar <socket path> | --train");
            System.exit(2);
        }
        Thread.currentThread().setUncaughtExceptionHandler(Agent::agentFailure);
        OwnHostName.ensureResolvable();
        Training.rehearse(Training.SAMPLE);
        try {
            ServerSocketChannel server = listen(Path.of(args[0]));
            Dispatcher dispatcher = newDispatcher(LogCapture.install());
            Thread warmUp = agentThread(() -> TypeMapper.shared().warmUp(), "hearth-warm-up");
            warmUp.start();
            acceptForever(server, dispatcher);
        } catch (IOException | RuntimeException e) {
            Diagnostics.log("cannot serve on " + args[0], e);
            System.exit(1);
        }
    }

    /** A daemon thread whose unexpected failures go to the agent's diagnostics, not to the function's log. */
    private static Thread agentThread(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(Agent::agentFailure);
        return thread;
    }

    private static void agentFailure(Thread thread, Throwable error) {
        Diagnostics.log("agent thread " + thread.getName() + " failed", error);
    }

    /** A dispatcher over {@code capture}, loading functions with the agent's own class loader as parent. */
    static Dispatcher newDispatcher(LogCapture capture) {
        FunctionLoader loader = new FunctionLoader(Agent.class.getClassLoader(), TypeMapper::shared);
        Dispatcher dispatcher = new Dispatcher(capture, loader, System::currentTimeMillis);
        useAsRuntimeLogger(new CapturedLogger(capture));
        return dispatcher;
    }

    static ServerSocketChannel listen(Path socket) throws IOException {
        Path temporary = socket.resolveSibling(socket.getFileName() + ".tmp");
        Files.deleteIfExists(socket);
        Files.deleteIfExists(temporary);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(temporary), 64);
        Files.move(temporary, socket, StandardCopyOption.ATOMIC_MOVE);
        return server;
    }

    private static void acceptForever(ServerSocketChannel server, Dispatcher dispatcher) {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                Diagnostics.log("accept failed: " + e);
                pause();
                continue;
            }
            // A class, not a lambda: the first call's connection would otherwise spin the lambda's class.
            Thread thread = agentThread(new Connection(channel, dispatcher), "hearth-connection-" + CONNECTIONS.incrementAndGet());
            try {
                thread.start();
            } catch (OutOfMemoryError e) {
                // No thread for it (pids limit): refuse this connection rather than the agent.
                Diagnostics.log("cannot start a connection thread: " + e);
                closeQuietly(channel);
            }
        }
    }

    /** Serves one accepted connection on its own thread. */
    private record Connection(SocketChannel channel, Dispatcher dispatcher) implements Runnable {
        @Override
        public void run() {
            serve(channel, dispatcher);
        }
    }

    static void serve(SocketChannel channel, Dispatcher dispatcher) {
        try (channel) {
            serve(new HttpConnection(Channels.newInputStream(channel), Channels.newOutputStream(channel), Dispatcher.MAX_BODY), dispatcher);
        } catch (IOException e) {
            // The client went away mid-request or mid-answer: nothing to answer.
        }
    }

    /** Answers the requests of one connection until it closes or asks to. */
    static void serve(HttpConnection connection, Dispatcher dispatcher) throws IOException {
        while (true) {
            HttpRequest request;
            try {
                request = connection.read();
            } catch (HttpException e) {
                connection.write(dispatcher.reject(e), false, false, false);
                return;
            }
            if (request == null) {
                return;
            }
            HttpResponse response;
            try {
                response = dispatcher.handle(request);
            } catch (RuntimeException | Error e) {
                Diagnostics.log("agent failure on " + request.method() + " " + request.path(), e);
                response = HttpResponse.json(500, ErrorBody.of("Runtime.AgentError", e.toString()));
            }
            connection.write(response, request.keepAlive(), request.http10(), request.method().equals("HEAD"));
            if (!request.keepAlive()) {
                return;
            }
        }
    }

    /** Points aws-lambda-java-core's {@code LambdaRuntime.getLogger()} at the capture too, as Lambda does. */
    private static void useAsRuntimeLogger(LambdaLogger logger) {
        try {
            Field field = LambdaRuntime.class.getDeclaredField("logger");
            field.setAccessible(true);
            field.set(null, logger);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Diagnostics.log("LambdaRuntime.getLogger() keeps its default (" + e + ")");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
