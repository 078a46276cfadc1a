package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.controlplane.http.ApiException;
import org.junit.jupiter.api.Test;

class SettingRangesTest {

    final SettingRanges ranges = SettingRanges.of(new Limits(1024 * 1024, 6 * 1024 * 1024, 128, 4096, 3000, 900_000, 100));

    static String refusal(Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void range_takesItsBounds_andNamesFieldAndRangeWhenRefusing() {
        assertEquals(64, ranges.memoryMb().check(64));
        assertEquals(4096, ranges.memoryMb().check(4096));
        assertEquals("memoryMb must be between 64 and 4096, got 4097", refusal(() -> ranges.memoryMb().check(4097)));
        assertEquals("timeoutMs must be between 100 and 900000, got 99", refusal(() -> ranges.timeoutMs().check(99)));
        assertEquals(3000, ranges.timeoutMs().checkOr(null, 3000), "left out, the default");
    }

    @Test
    void concurrency_isLeftOutForNoLimitInADefinition_andSetToZeroInAPatch() {
        assertEquals(0, SettingRanges.CONCURRENCY.checkOr(null, 0));
        assertEquals("concurrency must be between 1 and 1000, got 0", refusal(() -> SettingRanges.CONCURRENCY.check(0)));
        assertEquals(0, SettingRanges.CONCURRENCY_CHANGE.check(0));
        assertEquals("concurrency must be between 0 (no limit) and 1000, got -1",
                refusal(() -> SettingRanges.CONCURRENCY_CHANGE.check(-1)));
        assertEquals("concurrency must be between 0 (no limit) and 1000, got 1001",
                refusal(() -> SettingRanges.CONCURRENCY_CHANGE.check(1001)));
    }

    @Test
    void patch_isHeldToTheSameRangesAsADefinition() {
        new FunctionPatch(0, 900_000, SettingRanges.MAX_MIN_WARM, null).validate(ranges);
        assertEquals("minWarm must be between 0 and 10, got 11", refusal(() -> new FunctionPatch(null, null, 11, null).validate(ranges)));
        assertEquals("timeoutMs must be between 100 and 900000, got 900001",
                refusal(() -> new FunctionPatch(null, 900_001, null, null).validate(ranges)));
        assertEquals("nothing to change: give concurrency, timeoutMs, minWarm and/or labels",
                refusal(() -> new FunctionPatch(null, null, null, null).validate(ranges)));
    }
}
