package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Owns loading the function from its code directory (Lambda's layout: classes at the root,
 * jars at the root and in {@code lib/}) and resolving the handler string to a
 * {@link HandlerInvoker}: {@code package.Class} (RequestHandler or RequestStreamHandler) or
 * {@code package.Class::method}. The handler object is made once, here.
 */
final class FunctionLoader {

    /** A loaded function: its class loader (the thread context loader while it runs) and its handler. */
    record Loaded(ClassLoader classLoader, HandlerInvoker invoker) {
    }

    private final ClassLoader parent;
    private final Supplier<TypeMapper> json;

    /** {@code json} is asked for the mapper only when a function loads (Jackson is not needed before). */
    FunctionLoader(ClassLoader parent, Supplier<TypeMapper> json) {
        this.parent = parent;
        this.json = json;
    }

    Loaded load(String handler, Path codeDir) throws InitFailure {
        HandlerName name = HandlerName.parse(handler);
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(codeUrls(codeDir), parent);
        } catch (IOException e) {
            throw new InitFailure(InitFailure.IMPORT_MODULE_ERROR, "cannot read the code directory " + codeDir + ": " + e, e);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> cls = loadClass(name.className(), loader, codeDir);
            HandlerInvoker invoker = name.method() == null ? classHandler(cls) : methodHandler(cls, name.method());
            return new Loaded(loader, invoker);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The code directory itself (for class files), then its jars, then the jars of its lib/, each in name order. */
    static URL[] codeUrls(Path codeDir) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(directoryUrl(codeDir));
        for (Path dir : List.of(codeDir, codeDir.resolve("lib"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> jars = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.jar")) {
                for (Path jar : entries) {
                    if (Files.isRegularFile(jar)) {
                        jars.add(jar);
                    }
                }
            }
            jars.sort(Comparator.comparing(p -> p.getFileName().toString()));
            for (Path jar : jars) {
                urls.add(jar.toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    private static URL directoryUrl(Path dir) throws MalformedURLException {
        String uri = dir.toAbsolutePath().toUri().toString();
        // Without the trailing slash URLClassLoader would take the folder for a jar.
        return new URL(uri.endsWith("/") ? uri : uri + "/");
    }

    private static Class<?> loadClass(String className, ClassLoader loader, Path codeDir) throws InitFailure {
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new InitFailure(InitFailure.HANDLER_NOT_FOUND, "class " + className + " not found in " + codeDir
                    + " (class files at its root, jars at its root or in lib/)");
        } catch (ExceptionInInitializerError e) {
            // As Lambda: reported as the error Class.forName threw; the stack is the initializer's own.
            throw InitFailure.loading(e, className, e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException | Error e) {
            // NoClassDefFoundError and the like, or an Error a static initializer threw as is
            // (ExceptionInInitializerError wraps only exceptions).
            throw InitFailure.loading(e, className, e);
        }
    }

    @SuppressWarnings("unchecked")
    private HandlerInvoker classHandler(Class<?> cls) throws InitFailure {
        if (RequestStreamHandler.class.isAssignableFrom(cls)) {
            return HandlerInvoker.streamHandler((RequestStreamHandler) instantiate(cls));
        }
        if (RequestHandler.class.isAssignableFrom(cls)) {
            JavaType input = json.get().handlerInputType(cls, RequestHandler.class);
            return HandlerInvoker.requestHandler((RequestHandler<Object, Object>) instantiate(cls), input, json.get());
        }
        throw new InitFailure(InitFailure.HANDLER_NOT_FOUND, cls.getName() + " implements neither RequestHandler nor "
                + "RequestStreamHandler; name a method as " + cls.getName() + "::method");
    }

    private HandlerInvoker methodHandler(Class<?> cls, String methodName) throws InitFailure {
        Method best = null;
        HandlerInvoker.Kind bestKind = null;
        for (Method method : cls.getMethods()) {
            if (!method.getName().equals(methodName) || method.isBridge() || method.isSynthetic()) {
                continue;
            }
            HandlerInvoker.Kind kind = kind(method.getParameterTypes());
            if (kind != null && (best == null || better(cls, method, kind, best, bestKind))) {
                best = method;
                bestKind = kind;
            }
        }
        if (best == null) {
            throw new InitFailure(InitFailure.HANDLER_NOT_FOUND, cls.getName() + " has no public method '" + methodName
                    + "' taking (event), (event, Context), (InputStream, OutputStream) or (InputStream, OutputStream, Context)");
        }
        try {
            best.setAccessible(true);
        } catch (RuntimeException e) {
            // Public methods of public classes need no help; others are tried as they are.
        }
        Object target = Modifier.isStatic(best.getModifiers()) ? null : instantiate(cls);
        boolean takesEvent = bestKind == HandlerInvoker.Kind.METHOD_EVENT || bestKind == HandlerInvoker.Kind.METHOD_EVENT_CONTEXT;
        JavaType input = takesEvent ? json.get().parameterType(cls, best, 0) : null;
        return HandlerInvoker.method(target, best, bestKind, input, json.get());
    }

    /** Which handler signature the parameters form, or null for none. */
    static HandlerInvoker.Kind kind(Class<?>[] parameters) {
        switch (parameters.length) {
            case 0:
                return HandlerInvoker.Kind.METHOD_NONE;
            case 1:
                return HandlerInvoker.Kind.METHOD_EVENT;
            case 2:
                if (parameters[0] == InputStream.class && parameters[1] == OutputStream.class) {
                    return HandlerInvoker.Kind.METHOD_STREAMS;
                }
                return parameters[1] == Context.class ? HandlerInvoker.Kind.METHOD_EVENT_CONTEXT : null;
            case 3:
                return parameters[0] == InputStream.class && parameters[1] == OutputStream.class && parameters[2] == Context.class
                        ? HandlerInvoker.Kind.METHOD_STREAMS_CONTEXT : null;
            default:
                return null;
        }
    }

    /**
     * Among overloads: the richer signature wins (Kind's order: streams and Context first), then
     * the one declared lowest in the class hierarchy, then a stable order by parameter types.
     */
    private static boolean better(Class<?> cls, Method candidate, HandlerInvoker.Kind kind, Method best, HandlerInvoker.Kind bestKind) {
        if (kind != bestKind) {
            return kind.ordinal() < bestKind.ordinal();
        }
        int depth = depth(cls, candidate.getDeclaringClass());
        int bestDepth = depth(cls, best.getDeclaringClass());
        if (depth != bestDepth) {
            return depth < bestDepth;
        }
        return candidate.toGenericString().compareTo(best.toGenericString()) < 0;
    }

    private static int depth(Class<?> cls, Class<?> declaring) {
        int depth = 0;
        for (Class<?> c = cls; c != null && c != declaring; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    private static Object instantiate(Class<?> cls) throws InitFailure {
        if (cls.isInterface() || Modifier.isAbstract(cls.getModifiers())) {
            throw new InitFailure(InitFailure.HANDLER_NOT_FOUND, cls.getName() + " is abstract and cannot be instantiated");
        }
        Constructor<?> constructor;
        try {
            constructor = cls.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new InitFailure(InitFailure.HANDLER_NOT_FOUND, cls.getName() + " has no constructor without parameters");
        } catch (RuntimeException e) {
            throw new InitFailure(InitFailure.HANDLER_NOT_FOUND, cls.getName() + "'s constructor is not accessible: " + e, e);
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            // As Lambda: the constructor's exception itself, under its own type.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw InitFailure.thrown(cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw InitFailure.loading(e, cls.getName(), e);
        }
    }

    /** A handler string split into class and optional method, or Runtime.MalformedHandlerName. */
    record HandlerName(String className, String method) {

        static HandlerName parse(String handler) throws InitFailure {
            int separator = handler.indexOf("::");
            String className = separator < 0 ? handler : handler.substring(0, separator);
            String method = separator < 0 ? null : handler.substring(separator + 2);
            boolean valid = isQualifiedName(className) && (method == null || isIdentifier(method));
            if (!valid) {
                throw new InitFailure(InitFailure.MALFORMED_HANDLER_NAME,
                        "handler must be 'package.Class' or 'package.Class::method', got '" + handler + "'");
            }
            return new HandlerName(className, method);
        }

        private static boolean isQualifiedName(String name) {
            if (name.isEmpty()) {
                return false;
            }
            for (String part : name.split("\\.", -1)) {
                if (!isIdentifier(part)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isIdentifier(String s) {
            if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
                return false;
            }
            for (int i = 1; i < s.length(); i++) {
                if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
