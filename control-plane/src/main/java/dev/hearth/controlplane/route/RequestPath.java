package dev.hearth.controlplane.route;

/**
 * A request's path split into segments, each percent-decoded, as {@link RouteTable} walks it;
 * {@link #of} refuses (null) the paths no route may match.
 *
 * @param raw     the path as sent
 * @param starts  where each segment starts in {@code raw}
 * @param decoded each segment decoded
 */
record RequestPath(String raw, int[] starts, String[] decoded) {

    /** The segments of {@code raw}; null when it is not a path a route may match. */
    static RequestPath of(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        if (raw.length() == 1) {
            return new RequestPath(raw, new int[0], new String[0]);
        }
        int count = 1;
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '/') {
                count++;
            }
        }
        int[] starts = new int[count];
        String[] decoded = new String[count];
        int start = 1;
        for (int s = 0; s < count; s++) {
            int end = raw.indexOf('/', start);
            if (end < 0) {
                end = raw.length();
            }
            if (end == start) {
                return null;
            }
            String segment = PathCodec.decode(raw.substring(start, end));
            if (segment == null || segment.equals(".") || segment.equals("..")) {
                return null;
            }
            starts[s] = start;
            decoded[s] = segment;
            start = end + 1;
        }
        return PathCodec.reserved(decoded[0]) ? null : new RequestPath(raw, starts, decoded);
    }

    /** The path from segment {@code index} on, decoded, without its leading {@code /}. */
    String rest(int index) {
        return PathCodec.decode(raw.substring(starts[index]));
    }
}
