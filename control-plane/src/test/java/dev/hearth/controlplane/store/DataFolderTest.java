package dev.hearth.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path dir;

    @Test
    void processesSharingTheFolder_mayCreateItAtOnce() throws Exception {
        // A control plane and its nodes start together on one HEARTH_DATA; all must come up.
        for (int round = 0; round < 20; round++) {
            Path data = dir.resolve("data" + round);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<Path>> made = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    made.add(threads.submit(() -> {
                        go.await();
                        return DataFolder.ownerOnlyFolder(data);
                    }));
                }
                go.countDown();
                for (Future<Path> f : made) {
                    assertEquals(data, f.get());
                }
            } finally {
                threads.shutdownNow();
            }
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        }
    }

    @Test
    void anExistingOpenFolder_isTightened() throws Exception {
        Path data = Files.createDirectory(dir.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        DataFolder.ownerOnlyFolder(data);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }
}
