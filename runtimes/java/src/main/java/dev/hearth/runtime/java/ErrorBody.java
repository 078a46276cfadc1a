package dev.hearth.runtime.java;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Owns the agent's JSON error objects ({@code errorType}, {@code errorMessage}, {@code stackTrace}) and their stack lines. */
final class ErrorBody {

    /** Stack lines kept in one error; a StackOverflowError alone would bring a thousand. */
    static final int MAX_STACK_LINES = 100;
    private static final String AGENT_PACKAGE = "dev.hearth.runtime.java.";
    private static final String TRAINING_PACKAGE = "dev.hearth.runtime.java.train.";

    private ErrorBody() {
    }

    static byte[] of(String type, String message) {
        return of(type, message, (List<String>) null);
    }

    static byte[] of(String type, String message, Throwable error) {
        return of(type, message, error == null ? null : stackTrace(error));
    }

    /** With {@code stackTrace} lines as given; none (null) leaves the field out. */
    static byte[] of(String type, String message, List<String> stackTrace) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"errorType\":");
        quote(json, type);
        json.append(",\"errorMessage\":");
        quote(json, message == null ? "" : message);
        if (stackTrace != null) {
            json.append(",\"stackTrace\":[");
            List<String> lines = stackTrace;
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                quote(json, lines.get(i));
            }
            json.append(']');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The error a function's exception becomes, as Lambda's Java runtime reports it: its class
     * name, its message (the class name when it has none) and its own frames.
     */
    static byte[] ofThrown(Throwable error) {
        return of(error.getClass().getName(), message(error), error);
    }

    /** Lambda's errorMessage for an exception: its message, or its class name when it has none. */
    static String message(Throwable error) {
        String message = error.getLocalizedMessage();
        return message == null ? error.getClass().getName() : message;
    }

    /**
     * The error's own frames as Lambda's Java runtime gives them ({@code StackTraceElement}'s
     * text, no {@code at } prefix; causes are not listed, see {@link #printed}). The agent's own
     * frames (and the JDK frames, such as reflection, that led from them into the function) are
     * left out: they say nothing about the function.
     */
    static List<String> stackTrace(Throwable error) {
        StackTraceElement[] frames = error.getStackTrace();
        int end = functionFrames(frames);
        List<String> lines = new ArrayList<>(Math.min(end, MAX_STACK_LINES + 1));
        for (int i = 0; i < Math.min(end, MAX_STACK_LINES); i++) {
            lines.add(frames[i].toString());
        }
        if (end > MAX_STACK_LINES) {
            lines.add("... " + (end - MAX_STACK_LINES) + " more frames");
        }
        return lines;
    }

    /**
     * The error as {@code printStackTrace} would print it, the agent's frames left out:
     * {@code type: message}, {@code \tat ...} lines, then {@code Caused by: ...} and its lines for
     * each cause. It is what the function's log gets when an invocation fails, as on Lambda.
     */
    static List<String> printed(Throwable error) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int omitted = 0;
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (lines.size() >= MAX_STACK_LINES) {
                omitted++;
            } else {
                lines.add(t == error ? t.toString() : "Caused by: " + t);
            }
            StackTraceElement[] frames = t.getStackTrace();
            int end = functionFrames(frames);
            for (int i = 0; i < end; i++) {
                if (lines.size() >= MAX_STACK_LINES) {
                    omitted++;
                } else {
                    lines.add("\tat " + frames[i]);
                }
            }
        }
        if (omitted > 0) {
            lines.add("\t... " + omitted + " more lines");
        }
        return lines;
    }

    /** How many of the top frames belong to the function (all of them when none is the agent's). */
    private static int functionFrames(StackTraceElement[] frames) {
        int end = -1;
        for (int i = 0; i < frames.length; i++) {
            String cls = frames[i].getClassName();
            if (cls.startsWith(AGENT_PACKAGE) && !cls.startsWith(TRAINING_PACKAGE)) {
                end = i;
                break;
            }
        }
        if (end <= 0) {
            return frames.length;
        }
        while (end > 0 && isJdk(frames[end - 1].getClassName())) {
            end--;
        }
        return end == 0 ? frames.length : end;
    }

    /** The JDK's frames between the agent and the function: reflection, Class.forName and the like. */
    private static boolean isJdk(String cls) {
        return cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.");
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        quote(out, s);
        return out.toString();
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /** A high surrogate followed by a low one, or a low one preceded by a high one (else it is escaped). */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
