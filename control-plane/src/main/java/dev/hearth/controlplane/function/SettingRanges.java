package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;

/**
 * The values a function's numeric settings may take, in one place for a definition
 * ({@code POST}, {@code PUT}) and a {@code PATCH}. The two differ in one thing only: a definition
 * leaves {@code concurrency} out for no limit, a patch sets it to 0 to remove one.
 */
record SettingRanges(Range memoryMb, Range timeoutMs) {

    /** The most containers a function may keep ready while idle. */
    static final int MAX_MIN_WARM = 10;
    private static final int MAX_CONCURRENCY = 1000;

    static final Range CONCURRENCY = new Range("concurrency", 1, MAX_CONCURRENCY);
    static final Range CONCURRENCY_CHANGE = new Range("concurrency", 0, "0 (no limit)", MAX_CONCURRENCY);
    static final Range MIN_WARM = new Range("minWarm", 0, MAX_MIN_WARM);

    static SettingRanges of(Limits limits) {
        return new SettingRanges(new Range("memoryMb", 64, limits.maxMemoryMb()),
                new Range("timeoutMs", 100, limits.maxTimeoutMs()));
    }

    /**
     * One setting's bounds, inclusive.
     *
     * @param lowest how the lowest value reads in the refusal, with what it means when it means more than its number
     */
    record Range(String field, int min, String lowest, int max) {

        Range(String field, int min, int max) {
            this(field, min, Integer.toString(min), max);
        }

        /** The value, refused with a 400 that names the field and the range when it is outside. */
        int check(int value) {
            if (value < min || value > max) {
                throw ApiException.badRequest(field + " must be between " + lowest + " and " + max + ", got " + value);
            }
            return value;
        }

        /** The value checked, or {@code fallback} when it was left out. */
        int checkOr(Integer value, int fallback) {
            return value == null ? fallback : check(value);
        }
    }
}
