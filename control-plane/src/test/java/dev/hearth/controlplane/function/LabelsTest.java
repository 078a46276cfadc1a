package dev.hearth.controlplane.function;

import static dev.hearth.controlplane.function.SettingRangesTest.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void check_takesKeysOfTheDocumentedForm_sortedByKey() {
        var labels = new HashMap<String, String>();
        labels.put("team", "web");
        labels.put("hearth.dev/spec", "shop");
        labels.put("0", "");
        labels.put("a".repeat(63), "v".repeat(256));
        labels.put("x-y.z/w", "Grüße, 世界 🚀 and spaces");
        var checked = Labels.check(labels);
        assertEquals(labels, checked);
        assertEquals(List.of("0", "a".repeat(63), "hearth.dev/spec", "team", "x-y.z/w"), List.copyOf(checked.keySet()));
        assertNull(Labels.check(null), "none given: a PUT keeps what the function has");
        assertEquals(Map.of(), Labels.check(Map.of()));
    }

    @Test
    void check_refusesKeysOutsideTheForm_namingTheKeyAndTheRule() {
        String rule = "must be 1-63 lower-case letters, digits, '.', '/' or '-', starting with a letter or digit";
        for (String key : List.of("", "Team", "-team", ".x", "/x", "a_b", "a b", "a".repeat(64), "é")) {
            assertEquals("label key '" + key + "' " + rule, refusal(() -> Labels.check(Map.of(key, "v"))), key);
        }
        assertEquals("label key 'a\\u000ab' " + rule, refusal(() -> Labels.check(Map.of("a\nb", "v"))), "shown escaped");
        assertEquals("label key '" + "A".repeat(80) + "…' " + rule, refusal(() -> Labels.check(Map.of("A".repeat(500), "v"))),
                "shown cut");
    }

    @Test
    void check_refusesValuesTooLongOrUnprintable_orMissing() {
        assertEquals("label 'k' must be at most 256 characters, got 257", refusal(() -> Labels.check(Map.of("k", "v".repeat(257)))));
        assertEquals("label 'k' must be printable text: it holds character U+000A at 1", refusal(() -> Labels.check(Map.of("k", "a\nb"))));
        assertEquals("label 'k' must be printable text: it holds character U+0000 at 0", refusal(() -> Labels.check(Map.of("k", "\0"))));
        assertEquals("label 'k' must be printable text: it holds character U+007F at 0", refusal(() -> Labels.check(Map.of("k", "\u007f"))));
        assertEquals("label 'k' must be printable text: it holds character U+200B at 0", refusal(() -> Labels.check(Map.of("k", "\u200b"))),
                "format characters hide text");
        assertEquals("label 'k' must be printable text: it holds character U+2028 at 0", refusal(() -> Labels.check(Map.of("k", "\u2028"))));
        assertEquals("label 'k' must be printable text: it holds character U+D800 at 2", refusal(() -> Labels.check(Map.of("k", "ab\ud800"))),
                "a lone surrogate is not text");
        var missing = new HashMap<String, String>();
        missing.put("k", null);
        assertEquals("field 'labels.k' must be a JSON string", refusal(() -> Labels.check(missing)));
    }

    @Test
    void check_takesSixteenLabels_andRefusesSeventeen() {
        var labels = new HashMap<String, String>();
        for (int i = 0; i < Labels.MAX_LABELS; i++) {
            labels.put("k" + i, "v");
        }
        assertEquals(16, Labels.check(labels).size());
        labels.put("one-more", "v");
        assertEquals("labels: at most 16 labels, got 17", refusal(() -> Labels.check(labels)));
    }

    @Test
    void patch_checksItsLabels_andTakesLabelsAlone() {
        var ranges = SettingRanges.of(new Limits(1024 * 1024, 6 * 1024 * 1024, 128, 4096, 3000, 900_000, 100));
        var patch = new FunctionPatch(null, null, null, Map.of("team", "web")).validate(ranges);
        assertEquals(Map.of("team", "web"), patch.labels());
        assertEquals("label key 'Team' must be 1-63 lower-case letters, digits, '.', '/' or '-', starting with a letter or digit",
                refusal(() -> new FunctionPatch(null, null, null, Map.of("Team", "web")).validate(ranges)));
    }
}
