package dev.hearth.poolmanager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobLogTest {

    private final List<String> handed = new ArrayList<>();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lines_areHandedOutWhenComplete_evenAcrossChunks() {
        JobLog log = new JobLog(1024, handed::add);
        log.append(false, bytes("Collect"));
        assertEquals(List.of(), handed, "an unfinished line is not handed out");
        log.append(false, bytes("ing requests\nInstalling"));
        assertEquals(List.of("Collecting requests"), handed);
        log.append(false, bytes(" done\n"));
        assertEquals(List.of("Collecting requests", "Installing done"), handed);
        assertEquals("Collecting requests\nInstalling done\n", log.finish());
    }

    @Test
    void stdoutAndStderr_interleaveByWholeLines() {
        JobLog log = new JobLog(1024, handed::add);
        log.append(false, bytes("out "));
        log.append(true, bytes("err line\n"));
        log.append(false, bytes("line\n"));
        assertEquals(List.of("err line", "out line"), handed);
        assertEquals("err line\nout line\n", log.finish());
    }

    @Test
    void finish_keepsUnfinishedLines_stdoutFirst() {
        JobLog log = new JobLog(1024, handed::add);
        log.append(true, bytes("no newline on stderr"));
        log.append(false, bytes("nor on stdout"));
        assertEquals("nor on stdout\nno newline on stderr\n", log.finish());
        assertEquals(List.of("nor on stdout", "no newline on stderr"), handed);
        assertEquals("nor on stdout\nno newline on stderr\n", log.finish(), "finishing twice changes nothing");
    }

    @Test
    void multiByteCharacters_splitAcrossChunks_areDecodedWhole() {
        JobLog log = new JobLog(1024, handed::add);
        byte[] text = bytes("héllo ✓\n");
        for (byte b : text) {
            log.append(false, new byte[] {b});
        }
        assertEquals(List.of("héllo ✓"), handed);
    }

    @Test
    void pastTheLimit_theRestIsDroppedAndCounted_keepingAPrefixOfWholeLines() {
        JobLog log = new JobLog(10, handed::add);
        log.append(false, bytes("12345\n"));  // 6 bytes kept
        log.append(false, bytes("abcd\n"));   // 5 more would make 11: dropped
        log.append(false, bytes("x\n"));      // after a drop, everything is
        assertEquals(List.of("12345"), handed);
        assertEquals("12345\n[hearth] log truncated: 7 bytes dropped\n", log.finish());
    }

    @Test
    void aLineThatFillsTheLimitExactly_isKept() {
        JobLog log = new JobLog(6, handed::add);
        log.append(false, bytes("12345\n"));
        assertEquals("12345\n", log.finish());
    }

    @Test
    void anEndlessLine_isDroppedOnceItCannotFit_andHoldsNoMoreThanTheLimit() {
        JobLog log = new JobLog(8, handed::add);
        log.append(false, bytes("ok\n"));
        for (int i = 0; i < 1000; i++) {
            log.append(false, bytes("progress "));
        }
        log.append(true, bytes("late\n"));
        assertEquals(List.of("ok"), handed);
        assertEquals("ok\n[hearth] log truncated: " + (9000 + 5) + " bytes dropped\n", log.finish());
    }

    @Test
    void seen_countsEveryByteOfEachStream_keptOrNot() {
        JobLog log = new JobLog(4, handed::add);
        log.append(false, bytes("abcdef\n"));
        log.append(true, bytes("xy"));
        assertEquals(7, log.seen(false));
        assertEquals(2, log.seen(true));
    }

    @Test
    void aLimitBelowOne_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new JobLog(0, handed::add));
    }
}
