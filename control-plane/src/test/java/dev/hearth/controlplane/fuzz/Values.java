package dev.hearth.controlplane.fuzz;

import java.util.List;
import java.util.Random;

/**
 * The hostile values the fuzzer draws from. JSON fragments are spliced into bodies as raw text,
 * so they can spell what a JSON library would refuse to write (lone surrogates, NUL escapes,
 * numbers past every range, nesting past every limit). None holds a small positive integer that
 * {@code minWarm} or {@code concurrency} would take: the fuzzer must not make containers.
 */
final class Values {

    private Values() {}

    static final List<String> FRAGMENTS = List.of(
            "null", "true", "false", "0", "-1", "-0", "2147483647", "2147483648", "-2147483649",
            "123456789012345678901234567890", "1e999999", "-1e999999", "1.5", "100.7", "100.0", "1E2", "0.0000001",
            "\"100\"", "\"\"", "\" \"", "\"true\"", "[]", "{}", "[1,2]", "[\"a\"]", "{\"$gt\":\"\"}", "{\"$ne\":null}",
            "{\"$where\":\"sleep(1000)\"}", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"",
            "\"\\r\\nX-Injected: 1\"", "\"%00\"", "\"../../etc/passwd\"", "\"..\"", "\"\\u202e\"", "\"ünïcødé\"", "\"函数\"",
            "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}");

    static final List<String> STRINGS = List.of(
            "", " ", "a", "x".repeat(300), "x".repeat(5000), "..", ".", "../../etc/passwd", "/etc/passwd", "%00", "%2F",
            "a\u0000b", "\r\nX-Injected: 1", "a\nb", "\t", "ünïcødé", "函数", "\uD83D\uDE00", "\u202Eevil", "\u200B",
            "e\u0301", "%s%n%x", "${jndi:x}", "'; DROP TABLE users; --", "{\"$gt\":\"\"}", "main.py", "main.handler",
            "python", "node", "cobol", "egress", "none", "exec", "http", "hearth/example-rev", "UPPER", "-leading",
            "a b", "a/b", "a\\b", "CON", "NUL", "\u0085", "\uFEFF", "\u0001\u0002");

    /** Path segments, already as they go on the request line (percent-encoded or raw). */
    static final List<String> SEGMENTS = List.of(
            "..", ".", "%2e%2e", "%2E%2E%2F%2E%2E", "%2F", "a%2Fb", "%00", "a%00b", "%ff", "%", "%zz", "%C0%AF", "%E2%80%AE",
            "%F0%9F%98%80", "x".repeat(300), "x".repeat(4000), "a;b", "a%3Bb", "~", "*", "%20", "+", "a%0d%0aX-Injected:%201",
            "%25", "%252e%252e", "nosuch", "fz-1", "UPPER", "-x", "a.b", "%5C", "%C3%BC");

    static final List<String> QUERIES = List.of(
            "", "?", "?limit=abc", "?limit=-1", "?limit=0", "?limit=99999999999999999999", "?limit=1&limit=2", "?limit=1.5",
            "?status=%00", "?status=dead-lettered", "?status=x&status=y", "?qualifier=..", "?%", "?%zz=1", "?a=%ff",
            "?" + "a=b&".repeat(500), "?" + "q=" + "x".repeat(6000), "?limit=%31", "?=&=&", "?limit", "?&&&", "?a=%0d%0a");

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A JSON value nested {@code depth} levels deep: arrays or objects. */
    static String nested(int depth, boolean objects) {
        return objects ? "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth);
    }
}
