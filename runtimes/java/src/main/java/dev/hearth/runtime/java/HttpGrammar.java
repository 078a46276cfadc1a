package dev.hearth.runtime.java;

/**
 * The HTTP/1.x message grammar the agent needs (RFC 9110 and 9112): request targets, tokens,
 * Content-Length, keep-alive and reason phrases, as pure functions of the text.
 */
final class HttpGrammar {

    private HttpGrammar() {}

    /** The path of an origin-form ({@code /run?x}) or absolute-form ({@code http://a/run}) target. */
    static String path(String target) throws HttpException {
        String path = target;
        if (!path.startsWith("/")) {
            int scheme = path.indexOf("://");
            if (scheme <= 0) {
                throw new HttpException(400, "malformed request target", null);
            }
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int fragment = path.indexOf('#');
        return fragment >= 0 ? path.substring(0, fragment) : path;
    }

    /** One or more comma-separated, identical, non-negative decimal values (RFC 9110 section 8.6). */
    static long contentLength(String value, String path) throws HttpException {
        long length = -1;
        for (String piece : value.split(",", -1)) {
            String digits = trimOws(piece);
            if (digits.isEmpty() || digits.length() > 15) {
                throw new HttpException(400, "malformed Content-Length", path);
            }
            long parsed = 0;
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                if (c < '0' || c > '9') {
                    throw new HttpException(400, "malformed Content-Length", path);
                }
                parsed = parsed * 10 + (c - '0');
            }
            if (length >= 0 && parsed != length) {
                throw new HttpException(400, "conflicting Content-Length values", path);
            }
            length = parsed;
        }
        return length;
    }

    static boolean keepAlive(String version, String connection) {
        boolean close = false;
        boolean keepAlive = false;
        if (connection != null) {
            for (String token : connection.split(",")) {
                String t = trimOws(token);
                close |= t.equalsIgnoreCase("close");
                keepAlive |= t.equalsIgnoreCase("keep-alive");
            }
        }
        if (close) {
            return false;
        }
        return version.equals("HTTP/1.1") || keepAlive;
    }

    static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** RFC 9110 token: visible ASCII except delimiters. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String reason(int status) {
        switch (status) {
            case 100: return "Continue";
            case 200: return "OK";
            case 400: return "Bad Request";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 409: return "Conflict";
            case 411: return "Length Required";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 505: return "HTTP Version Not Supported";
            default: return "Status";
        }
    }
}
