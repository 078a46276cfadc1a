package dev.hearth.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JavaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Owns calling a resolved handler once per invocation: event in through its declared type, result out as JSON. */
abstract class HandlerInvoker {

    /** The handler's shape, as resolved at /init. */
    enum Kind {
        /** A class implementing {@code RequestStreamHandler}. */
        STREAM_HANDLER,
        /** A class implementing {@code RequestHandler<I, O>}. */
        REQUEST_HANDLER,
        /** {@code Class::method} taking {@code (InputStream, OutputStream, Context)}. */
        METHOD_STREAMS_CONTEXT,
        /** {@code Class::method} taking {@code (InputStream, OutputStream)}. */
        METHOD_STREAMS,
        /** {@code Class::method} taking {@code (I, Context)}. */
        METHOD_EVENT_CONTEXT,
        /** {@code Class::method} taking {@code (I)}. */
        METHOD_EVENT,
        /** {@code Class::method} taking nothing. */
        METHOD_NONE
    }

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private final Kind kind;
    private final JavaType inputType;

    private HandlerInvoker(Kind kind, JavaType inputType) {
        this.kind = kind;
        this.inputType = inputType;
    }

    Kind kind() {
        return kind;
    }

    /** The declared event type the event is mapped to; null for stream and no-argument handlers. */
    JavaType inputType() {
        return inputType;
    }

    /** Runs the handler on one event; the JSON result (or a stream handler's output) is returned. */
    abstract byte[] invoke(byte[] event, Context context) throws InvocationFailure;

    static HandlerInvoker requestHandler(RequestHandler<Object, Object> handler, JavaType inputType, TypeMapper json) {
        return new HandlerInvoker(Kind.REQUEST_HANDLER, inputType) {
            @Override
            byte[] invoke(byte[] event, Context context) throws InvocationFailure {
                Object input = read(json, event, inputType);
                Object result;
                try {
                    result = handler.handleRequest(input, context);
                } catch (Throwable e) {
                    throw InvocationFailure.thrown(e);
                }
                return write(json, result);
            }
        };
    }

    static HandlerInvoker streamHandler(RequestStreamHandler handler) {
        return new HandlerInvoker(Kind.STREAM_HANDLER, null) {
            @Override
            byte[] invoke(byte[] event, Context context) throws InvocationFailure {
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                try {
                    handler.handleRequest(new ByteArrayInputStream(event), output, context);
                } catch (Throwable e) {
                    throw InvocationFailure.thrown(e);
                }
                return output.size() == 0 ? NULL.clone() : output.toByteArray();
            }
        };
    }

    /** {@code Class::method}: {@code target} is null for a static method. */
    static HandlerInvoker method(Object target, Method method, Kind kind, JavaType inputType, TypeMapper json) {
        return new HandlerInvoker(kind, inputType) {
            @Override
            byte[] invoke(byte[] event, Context context) throws InvocationFailure {
                ByteArrayOutputStream output = null;
                Object[] arguments;
                switch (kind) {
                    case METHOD_STREAMS_CONTEXT:
                    case METHOD_STREAMS:
                        output = new ByteArrayOutputStream();
                        arguments = kind == Kind.METHOD_STREAMS
                                ? new Object[] {new ByteArrayInputStream(event), output}
                                : new Object[] {new ByteArrayInputStream(event), output, context};
                        break;
                    case METHOD_EVENT_CONTEXT:
                        arguments = new Object[] {read(json, event, inputType), context};
                        break;
                    case METHOD_EVENT:
                        arguments = new Object[] {read(json, event, inputType)};
                        break;
                    default:
                        arguments = new Object[0];
                }
                Object result;
                try {
                    result = method.invoke(target, arguments);
                } catch (InvocationTargetException e) {
                    throw InvocationFailure.thrown(e.getCause() == null ? e : e.getCause());
                } catch (Throwable e) {
                    throw InvocationFailure.thrown(e);
                }
                if (output != null) {
                    return output.size() == 0 ? NULL.clone() : output.toByteArray();
                }
                return method.getReturnType() == void.class ? NULL.clone() : write(json, result);
            }
        };
    }

    private static Object read(TypeMapper json, byte[] event, JavaType type) throws InvocationFailure {
        try {
            return json.read(event, type);
        } catch (IOException | RuntimeException e) {
            throw InvocationFailure.unmarshal(type.toCanonical(), e);
        }
    }

    private static byte[] write(TypeMapper json, Object result) throws InvocationFailure {
        try {
            return json.write(result);
        } catch (IOException | RuntimeException e) {
            throw InvocationFailure.marshal(e);
        }
    }
}
