package dev.hearth.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch on a real folder (the file system's own notifications; no server). */
class FolderWatchTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** The next change that holds {@code path}, skipping others (an editor's or the OS's extra events). */
    static Set<Path> changeWith(FolderWatch watch, Path path) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Set<Path> changed = watch.next(WAIT, DevLoop.QUIET);
            if (changed != null && changed.contains(path)) {
                return changed;
            }
        }
        throw new AssertionError("no change of " + path + " within " + WAIT);
    }

    @Test
    void next_seesSaves_inNewFoldersToo_butNotInSkippedFolders() throws Exception {
        Files.writeString(dir.resolve("main.py"), "v1");
        Files.createDirectories(dir.resolve("node_modules/pkg"));
        Files.createDirectories(dir.resolve("lib"));
        try (FolderWatch watch = new FolderWatch(dir)) {
            assertEquals(2, watch.folders(), "the folder and lib/, not node_modules/ or what is under it");
            Files.writeString(dir.resolve("main.py"), "v2");
            changeWith(watch, dir.resolve("main.py"));

            Files.createDirectories(dir.resolve("pkg/sub"));
            changeWith(watch, dir.resolve("pkg"));
            assertEquals(4, watch.folders(), "a new folder and the folders in it are watched from then on");
            Files.writeString(dir.resolve("pkg/sub/util.py"), "x");
            changeWith(watch, dir.resolve("pkg/sub/util.py"));
        }
    }

    @Test
    void aOneFileProject_watchesThatFileAlone() throws Exception {
        Path file = dir.resolve("hello.py");
        Files.writeString(file, "v1");
        try (FolderWatch watch = new FolderWatch(file)) {
            Files.writeString(dir.resolve("other.py"), "x");
            Files.writeString(file, "v2");
            Set<Path> changed = changeWith(watch, file);
            assertTrue(changed.stream().allMatch(file::equals), changed::toString);
        }
    }

    @Test
    void close_endsAWaitingNext() throws Exception {
        FolderWatch watch = new FolderWatch(dir);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            watch.close();
        });
        closer.start();
        assertNull(watch.next(WAIT, DevLoop.QUIET));
        closer.join();
    }
}
