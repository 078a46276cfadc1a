package dev.hearth.poolmanager.code;

import dev.hearth.poolmanager.fakes.MutableClock;
import dev.hearth.poolmanager.support.Digests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeCacheTest {

    @TempDir
    Path dir;

    static String digest(byte[] bytes) {
        return Digests.sha256Hex(bytes);
    }

    @Test
    void materialize_fetchesOnce_thenServesFromDisk() throws Exception {
        byte[] archive = TestZips.of(Map.of("main.py", SafeZipTest.text("x = 1")));
        AtomicInteger fetches = new AtomicInteger();
        var cache = new CodeCache(dir.resolve("code"), d -> {
            fetches.incrementAndGet();
            return new ByteArrayInputStream(archive);
        }, ZipLimits.DEFAULT, CodeCacheSettings.DEFAULT, java.time.Clock.systemUTC());

        Path first = cache.materialize(digest(archive));
        Path second = cache.materialize(digest(archive));
        assertEquals(first, second);
        assertEquals(1, fetches.get());
        assertEquals("x = 1", Files.readString(first.resolve("main.py")));
    }

    @Test
    void materialize_refusesAnArchiveThatDoesNotMatchItsDigest() throws Exception {
        byte[] archive = TestZips.of(Map.of("main.py", SafeZipTest.text("x = 1")));
        String wrong = digest(SafeZipTest.text("something else"));
        var cache = new CodeCache(dir.resolve("code"), d -> new ByteArrayInputStream(archive), ZipLimits.DEFAULT, CodeCacheSettings.DEFAULT, java.time.Clock.systemUTC());

        assertThrows(IOException.class, () -> cache.materialize(wrong));
        assertFalse(Files.exists(dir.resolve("code").resolve(wrong)), "nothing half-made is published");
        assertThrows(IllegalArgumentException.class, () -> cache.materialize("../../etc"));
    }

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration GRACE = Duration.ofMinutes(10);

    final MutableClock clock = new MutableClock(T0);
    final Map<String, byte[]> archives = new HashMap<>();
    final AtomicInteger fetches = new AtomicInteger();

    /** An archive of one file of {@code size} bytes, served by the test's code source; returns its digest. */
    String archive(String name, int size) throws IOException {
        byte[] zip = TestZips.of(Map.of(name, new byte[size]));
        archives.put(digest(zip), zip);
        return digest(zip);
    }

    CodeCache cache(long maxBytes) throws IOException {
        return new CodeCache(dir.resolve("code"), d -> {
            fetches.incrementAndGet();
            byte[] zip = archives.get(d);
            if (zip == null) {
                throw new java.io.FileNotFoundException(d);
            }
            return new ByteArrayInputStream(zip);
        }, ZipLimits.DEFAULT, new CodeCacheSettings(GRACE, maxBytes), clock);
    }

    Path entry(String digest) {
        return dir.resolve("code").resolve(digest);
    }

    @Test
    void sweep_retiredVersionsCode_isDeletedExactlyAfterTheGrace() throws Exception {
        var cache = cache(1L << 40);
        String code = archive("main.py", 10);
        cache.use("f", 1, code);
        cache.materialize(code);

        clock.advance(Duration.ofHours(5));
        cache.sweep();
        assertTrue(Files.isDirectory(entry(code)), "a version still given keeps its code however old");

        cache.retire("f");
        clock.advance(GRACE.minusMillis(1));
        cache.sweep();
        assertTrue(Files.isDirectory(entry(code)), "kept within the grace period");
        clock.advance(Duration.ofMillis(1));
        cache.sweep();
        assertFalse(Files.exists(entry(code)), "deleted at the end of the grace period");
        assertFalse(cache.holds(code));
        assertEquals(List.of(), List.of(dir.resolve("code").toFile().list()), "nothing else left behind");

        cache.materialize(code);
        assertEquals(2, fetches.get(), "needed again, it is fetched again");
    }

    @Test
    void sweep_aNewVersion_retiresTheOldOnesCode_only() throws Exception {
        var cache = cache(1L << 40);
        String v1 = archive("v1.py", 10);
        String v2 = archive("v2.py", 10);
        cache.use("f", 1, v1);
        cache.materialize(v1);
        cache.use("f", 2, v2);
        cache.materialize(v2);

        cache.retireVersions("f", Set.of(1L));
        clock.advance(GRACE);
        cache.sweep();
        assertFalse(Files.exists(entry(v1)));
        assertTrue(Files.isDirectory(entry(v2)));
    }

    @Test
    void retireVersions_theirCodeGetsItsGrace_whileTheOtherVersionsKeepTheirs() throws Exception {
        var cache = cache(1L << 40);
        String v1 = archive("v1.py", 10);
        String v2 = archive("v2.py", 10);
        String v3 = archive("v3.py", 10);
        String shared = archive("shared.py", 10);
        cache.use("f", 1, v1);
        cache.use("f", 2, v2);
        cache.use("f", 3, v3);
        cache.use("f", 4, shared);
        cache.use("f", 5, shared);
        for (String d : List.of(v1, v2, v3, shared)) {
            cache.materialize(d);
        }

        cache.retireVersions("f", Set.of(1L, 3L, 5L));
        clock.advance(GRACE.minusMillis(1));
        cache.sweep();
        assertTrue(Files.isDirectory(entry(v1)) && Files.isDirectory(entry(v3)), "within their grace period");
        clock.advance(Duration.ofMillis(1));
        cache.sweep();
        assertFalse(Files.exists(entry(v1)));
        assertFalse(Files.exists(entry(v3)));
        assertTrue(Files.isDirectory(entry(v2)), "version 2 is not retired");
        assertTrue(Files.isDirectory(entry(shared)), "version 4 still runs what retired version 5 ran");
    }

    @Test
    void use_ofARetiredVersion_byALateCall_doesNotKeepItsCode_butTheFunctionsOtherVersionsRegister() throws Exception {
        var cache = cache(1L << 40);
        String v1 = archive("v1.py", 10);
        String v2 = archive("v2.py", 10);
        cache.use("f", 1, v1);
        cache.materialize(v1);
        cache.retireVersions("f", Set.of(1L));
        // A call of version 1 that was in flight arrives late; version 2 is first used afterwards.
        cache.use("f", 1, v1);
        cache.use("f", 2, v2);
        cache.materialize(v2);

        clock.advance(GRACE.plusHours(1));
        cache.sweep();
        assertFalse(Files.exists(entry(v1)), "the retired version stays retired");
        assertTrue(Files.isDirectory(entry(v2)), "a version not retired keeps its code however old");
    }

    @Test
    void revive_aRetiredVersionRoutedToAgain_keepsItsCodeWhileUsed_butADeletedFunctionStaysRetired() throws Exception {
        var cache = cache(1L << 40);
        String v1 = archive("main.py", 10);
        cache.use("f", 1, v1);
        cache.materialize(v1);
        cache.retireVersions("f", Set.of(1L));
        // An alias is rolled back to version 1: the control plane prepares it again.
        cache.revive("f", 1);
        cache.use("f", 1, v1);
        clock.advance(GRACE.plusHours(1));
        cache.sweep();
        assertTrue(Files.isDirectory(entry(v1)), "a version routed to again keeps its code");

        cache.retire("f");
        cache.revive("f", 1);
        cache.use("f", 1, v1);
        clock.advance(GRACE.plusHours(1));
        cache.sweep();
        assertFalse(Files.exists(entry(v1)), "a deleted function's version is never revived");
    }

    @Test
    void sweep_codeSharedByTwoFunctions_staysWhileEitherUsesIt() throws Exception {
        var cache = cache(1L << 40);
        String code = archive("main.py", 10);
        cache.use("f", 1, code);
        cache.use("g", 1, code);
        cache.materialize(code);

        cache.retire("f");
        clock.advance(GRACE.plusHours(1));
        cache.sweep();
        assertTrue(Files.isDirectory(entry(code)), "g still uses it");
    }

    @Test
    void use_afterTheFunctionWasRetired_doesNotKeepItsCode() throws Exception {
        var cache = cache(1L << 40);
        String code = archive("main.py", 10);
        cache.use("f", 1, code);
        cache.materialize(code);
        cache.retire("f");
        // A call that raced the deletion arrives late.
        cache.use("f", 1, code);
        cache.materialize(code);

        clock.advance(GRACE);
        cache.sweep();
        assertFalse(Files.exists(entry(code)));
    }

    @Test
    void sweep_neverDeletesAnEntryWhileItIsLeased() throws Exception {
        var cache = cache(1L << 40);
        String code = archive("main.py", 10);
        cache.use("f", 1, code);
        try (CodeCache.Lease lease = cache.lease(code)) {
            cache.retire("f");
            clock.advance(GRACE.plusHours(1));
            cache.sweep();
            assertTrue(Files.isRegularFile(lease.dir().resolve("main.py")), "being linked: kept");
        }
        cache.sweep();
        assertFalse(Files.exists(entry(code)), "deleted once the lease ends");
    }

    @Test
    void sweep_overTheBudget_deletesLeastRecentlyUsedFirst_evenWhenUsed() throws Exception {
        // Each entry takes its folder (one block) and a 40,000-byte file (10 blocks): 45,056 bytes.
        var cache = cache(100_000);
        String a = archive("a.py", 40_000);
        String b = archive("b.py", 40_000);
        String c = archive("c.py", 40_000);
        for (String d : List.of(a, b, c)) {
            cache.use(d, 1, d);
        }
        cache.materialize(a);
        clock.advance(Duration.ofSeconds(1));
        cache.materialize(b);
        clock.advance(Duration.ofSeconds(1));
        cache.use(a, 1, a); // a is called again: now b is the least recently used
        clock.advance(Duration.ofSeconds(1));
        cache.materialize(c);
        assertEquals(3 * 45_056, cache.bytes());

        cache.sweep();
        assertFalse(Files.exists(entry(b)), "least recently used");
        assertTrue(Files.isDirectory(entry(a)));
        assertTrue(Files.isDirectory(entry(c)));
        assertEquals(2 * 45_056, cache.bytes());
    }

    @Test
    void start_entriesLeftOnDisk_countAsUnusedSinceStart_andHalfMadeOnesGo() throws Exception {
        String code = archive("main.py", 10);
        var first = cache(1L << 40);
        first.materialize(code);
        Files.createDirectories(dir.resolve("code/.staging-left-by-a-crash/x"));

        clock.advance(Duration.ofHours(1));
        var second = cache(1L << 40);
        assertFalse(Files.exists(dir.resolve("code/.staging-left-by-a-crash")));
        assertTrue(second.holds(code));
        clock.advance(GRACE.minusMillis(1));
        second.sweep();
        assertTrue(Files.isDirectory(entry(code)));
        clock.advance(Duration.ofMillis(1));
        second.sweep();
        assertFalse(Files.exists(entry(code)), "unused for the grace period since the start");
    }

    @Test
    void sweep_deletesLinksNotWhatTheyPointAt() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "keep me");
        String digest = "ab".repeat(32);
        Path planted = Files.createDirectories(entry(digest));
        Files.createSymbolicLink(planted.resolve("link-to-dir"), outside);
        Files.createSymbolicLink(planted.resolve("link-to-file"), outside.resolve("precious"));

        var cache = cache(1L << 40);
        clock.advance(GRACE);
        cache.sweep();
        assertFalse(Files.exists(planted, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(outside.resolve("precious")));
    }

    /** A code source whose fetches each signal {@code started}, then block until {@code release} opens. */
    CodeCache blockingCache(CountDownLatch started, CountDownLatch release) throws IOException {
        return new CodeCache(dir.resolve("code"), d -> {
            fetches.incrementAndGet();
            started.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS), "the test never released the fetch");
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            return new ByteArrayInputStream(archives.get(d));
        }, ZipLimits.DEFAULT, new CodeCacheSettings(GRACE, 1L << 40), clock);
    }

    @Test
    void lease_twoDigests_fetchInParallel() throws Exception {
        String a = archive("a.py", 10);
        String b = archive("b.py", 10);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        var cache = blockingCache(started, release);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Path> first = threads.submit(() -> cache.materialize(a));
            Future<Path> second = threads.submit(() -> cache.materialize(b));
            // Both fetches are under way at once: neither digest waits for the other's fetch and unzip.
            assertTrue(started.await(30, TimeUnit.SECONDS), "the two fetches did not run at the same time");
            assertFalse(first.isDone() || second.isDone());
            release.countDown();
            assertEquals(entry(a), first.get(30, TimeUnit.SECONDS));
            assertEquals(entry(b), second.get(30, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertEquals(2, fetches.get());
    }

    @Test
    void lease_aSecondCallerOfADigestBeingFetched_waitsForThatFetch() throws Exception {
        String code = archive("main.py", 10);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var cache = blockingCache(started, release);
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            Future<Path> first = threads.submit(() -> cache.materialize(code));
            assertTrue(started.await(30, TimeUnit.SECONDS));
            Path[] secondDir = new Path[1];
            Thread second = new Thread(() -> {
                try {
                    secondDir[0] = cache.materialize(code);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            second.start();
            // Parked on the fetch in flight (not fetching a second copy): seen by its state, no sleep.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (second.getState() != Thread.State.WAITING) {
                assertTrue(System.nanoTime() < deadline && second.isAlive(), "the second caller never waited: " + second.getState());
                Thread.onSpinWait();
            }
            assertEquals(1, fetches.get());
            release.countDown();
            assertEquals(entry(code), first.get(30, TimeUnit.SECONDS));
            second.join(30_000);
            assertEquals(entry(code), secondDir[0]);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertEquals(1, fetches.get(), "one fetch, shared");
    }

    @Test
    void lease_concurrentCallers_shareOneFetch() throws Exception {
        var cache = cache(1L << 40);
        String code = archive("main.py", 100_000);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Path>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    try (CodeCache.Lease lease = cache.lease(code)) {
                        return lease.dir();
                    }
                }));
            }
            go.countDown();
            for (Future<Path> f : results) {
                assertEquals(entry(code), f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, fetches.get());
    }

    @Test
    void linkInto_racingASweepThatEvictsEverythingUnpinned_alwaysLinksWholeCode() throws Exception {
        // A budget of one byte: every sweep deletes every entry nobody holds.
        var cache = cache(1);
        String code = archive("main.py", 5_000);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Future<?> sweeper = threads.submit(() -> {
                while (!done.get() && System.nanoTime() < until) {
                    cache.sweep();
                }
            });
            List<Future<Integer>> linkers = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                linkers.add(threads.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        Path slot = dir.resolve("slots/" + thread + "-" + i);
                        try (CodeCache.Lease lease = cache.lease(code)) {
                            FileTrees.linkInto(lease.dir(), slot);
                        }
                        assertEquals(5_000, Files.size(slot.resolve("main.py")), "a whole file, linked");
                        Thread.sleep(1); // unheld for a moment: the sweep may take it
                    }
                    return 100;
                }));
            }
            try {
                for (Future<Integer> linker : linkers) {
                    assertEquals(100, linker.get(60, TimeUnit.SECONDS));
                }
            } finally {
                done.set(true);
            }
            sweeper.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        cache.sweep();
        assertFalse(Files.exists(entry(code)), "unheld at last, it goes");
        assertTrue(fetches.get() > 1, "the sweep really did delete it between leases (" + fetches.get() + " fetches)");
    }
}
