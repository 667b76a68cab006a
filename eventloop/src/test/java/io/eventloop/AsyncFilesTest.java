package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AsyncFiles} and {@link AsyncFile}: aiofiles, on a real loop and its default executor. */
class AsyncFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeStringThenReadStringRoundTripsUtf8() {
        Path file = dir.resolve("text.txt");
        String text = "héllo, wörld ✓\nsecond line\n";

        String back = EventLoop.run(() -> AsyncFiles.writeString(file, text)
                .then(path -> AsyncFiles.readString(path)));

        assertEquals(text, back);
    }

    @Test
    void writeThenReadAllBytesRoundTripsBytes() throws Exception {
        Path file = dir.resolve("bytes.bin");
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }

        byte[] back = EventLoop.run(() -> AsyncFiles.write(file, bytes).then(p -> AsyncFiles.readAllBytes(p)));

        assertArrayEquals(bytes, back);
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void writeWithOptionsAppends() {
        Path file = dir.resolve("log.txt");

        String back = EventLoop.run(() -> AsyncFiles.writeString(file, "one\n")
                .then(p -> AsyncFiles.writeString(p, "two\n", StandardOpenOption.APPEND))
                .then(p -> AsyncFiles.readString(p)));

        assertEquals("one\ntwo\n", back);
    }

    @Test
    void theLinesOfATenThousandLineFileComeInOrderAndTheFileIsClosed() throws Exception {
        Path file = dir.resolve("lines.txt");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            expected.add("line " + i);
        }
        Files.write(file, expected);
        List<String> got = new ArrayList<>();

        IllegalStateException afterwards = EventLoop.run(() -> {
            AsyncIterator<String> lines = AsyncFiles.lines(file);
            return Async.forEach(lines, line -> {
                got.add(line);
                return Async.completed(null);
            }).map(ignored -> assertThrows(IllegalStateException.class, lines::next));
        });

        assertEquals(expected, got);
        assertTrue(afterwards.getMessage().contains("closed"), "forEach closed the lines: " + afterwards.getMessage());
    }

    @Test
    void theLinesCloseTheFileAtTheEndOnAReadFailureAndOnClose() throws Exception {
        Path full = dir.resolve("full.txt");
        Files.write(full, List.of("a", "b"));
        Path broken = dir.resolve("broken.txt");
        byte[] good = "ok\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(good, good.length + 2);
        bad[good.length] = (byte) 0xFF; // not UTF-8, far past what the first batch decodes
        bad[good.length + 1] = '\n';
        Files.write(broken, bad);

        List<String> states = EventLoop.run(() -> {
            List<String> out = new ArrayList<>();
            AsyncFiles.Lines toEnd = (AsyncFiles.Lines) AsyncFiles.lines(full);
            AsyncFiles.Lines failing = (AsyncFiles.Lines) AsyncFiles.lines(broken);
            AsyncFiles.Lines early = (AsyncFiles.Lines) AsyncFiles.lines(broken);
            return toEnd.next().then(a -> toEnd.next()).then(b -> toEnd.next()).then(end -> {
                out.add("end " + end.isPresent() + " open " + toEnd.isFileOpen());
                return Async.repeat(() -> failing.next().map(Optional::isPresent));
            }).recover(java.nio.charset.CharacterCodingException.class, e -> {
                out.add("failed open " + failing.isFileOpen());
                return Async.completed(null);
            }).then(v -> early.next()).then(first -> {
                out.add("early open " + early.isFileOpen());
                return early.closeAsync();
            }).map(closed -> {
                out.add("closed open " + early.isFileOpen());
                return out;
            });
        });

        assertEquals(List.of("end false open false", "failed open false", "early open true", "closed open false"), states);
    }

    @Test
    void linesOfAnEmptyFileEndAtOnce() throws Exception {
        Path file = dir.resolve("empty.txt");
        Files.createFile(file);

        Optional<String> first = EventLoop.run(() -> {
            AsyncIterator<String> lines = AsyncFiles.lines(file);
            return lines.next().then(line -> lines.closeAsync().map(ignored -> line));
        });

        assertEquals(Optional.empty(), first);
    }

    @Test
    void stoppingEarlyClosesTheLines() throws Exception {
        Path file = dir.resolve("many.txt");
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            all.add(Integer.toString(i));
        }
        Files.write(file, all);

        List<String> got = EventLoop.run(() -> {
            AsyncIterator<String> lines = AsyncFiles.lines(file);
            List<String> taken = new ArrayList<>();
            return Async.forEach(lines, line -> {
                taken.add(line);
                return taken.size() == 3 ? Async.failed(new StopIteration()) : Async.completed(null);
            }).recover(StopIteration.class, e -> {
                IllegalStateException closed = assertThrows(IllegalStateException.class, lines::next);
                assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
                return Async.completed(null);
            }).map(ignored -> taken);
        });

        assertEquals(List.of("0", "1", "2"), got);
    }

    /** Thrown by a loop body to stop early. */
    static final class StopIteration extends Exception {
        StopIteration() {
            super("stop", null, false, false);
        }
    }

    @Test
    void aMissingFileFailsWithNoSuchFileException() {
        Path missing = dir.resolve("missing.txt");

        CompletionException read = assertThrows(CompletionException.class,
                () -> EventLoop.run(() -> AsyncFiles.readString(missing)));
        CompletionException bytes = assertThrows(CompletionException.class,
                () -> EventLoop.run(() -> AsyncFiles.readAllBytes(missing)));
        CompletionException lines = assertThrows(CompletionException.class,
                () -> EventLoop.run(() -> AsyncFiles.lines(missing).next()));
        CompletionException open = assertThrows(CompletionException.class,
                () -> EventLoop.run(() -> AsyncFiles.open(missing)));

        for (CompletionException e : List.of(read, bytes, lines, open)) {
            NoSuchFileException cause = assertInstanceOf(NoSuchFileException.class, e.getCause());
            assertEquals(missing.toString(), cause.getFile());
        }
    }

    @Test
    void anAsyncFileWritesThenReadsInChunksWithAnEmptyReadAtTheEnd() {
        Path file = dir.resolve("file.txt");

        List<String> reads = EventLoop.run(() -> Async.using(AsyncFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                f -> f.write("hello ").then(n -> f.write("wörld".getBytes(StandardCharsets.UTF_8))))
                .then(ignored -> Async.using(AsyncFiles.open(file), f -> {
                    List<String> out = new ArrayList<>();
                    return f.read(5).then(a -> {
                        out.add(new String(a, StandardCharsets.UTF_8));
                        return f.readAll();
                    }).then(rest -> {
                        out.add(new String(rest, StandardCharsets.UTF_8));
                        return f.read(10);
                    }).map(end -> {
                        out.add("eof:" + end.length);
                        return out;
                    });
                })));

        assertEquals(List.of("hello", " wörld", "eof:0"), reads);
    }

    @Test
    void usingAnAsyncFileAfterItIsClosedIsRefusedByName() {
        Path file = dir.resolve("closed.txt");

        IllegalStateException e = EventLoop.run(() -> AsyncFiles.writeString(file, "x")
                .then(p -> AsyncFiles.open(p))
                .then(f -> f.closeAsync().map(ignored -> {
                    assertTrue(f.isClosed());
                    return assertThrows(IllegalStateException.class, () -> f.read(1));
                })));

        assertTrue(e.getMessage().contains("read()") && e.getMessage().contains(file.toString())
                && e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aSecondOperationWhileOneIsPendingIsRefused() {
        Path file = dir.resolve("busy.txt");

        IllegalStateException e = EventLoop.run(() -> AsyncFiles.writeString(file, "abc")
                .then(p -> Async.using(AsyncFiles.open(p), f -> {
                    Future<byte[]> first = f.readAll();
                    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> f.read(1));
                    return first.map(bytes -> refused);
                })));

        assertTrue(e.getMessage().contains("pending"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Path file = dir.resolve("bad.txt");

        EventLoop.run(() -> {
            assertTrue(assertThrows(NullPointerException.class, () -> AsyncFiles.readString(null)).getMessage().contains("path"));
            assertTrue(assertThrows(NullPointerException.class, () -> AsyncFiles.lines(null)).getMessage().contains("path"));
            assertTrue(assertThrows(NullPointerException.class, () -> AsyncFiles.open(null)).getMessage().contains("path"));
            assertTrue(assertThrows(NullPointerException.class,
                    () -> AsyncFiles.write(file, new byte[1], (StandardOpenOption) null)).getMessage().contains("options[0]"));
            return AsyncFiles.writeString(file, "x").then(p -> Async.using(AsyncFiles.open(p), f -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.read(-1));
                assertTrue(e.getMessage().contains("-1"), e.getMessage());
                return Async.completed(null);
            }));
        });
    }

    @Test
    void cancellingBeforeTheWorkStartsMeansItNeverStarts() throws Exception {
        Path file = dir.resolve("never.txt");
        CountDownLatch release = new CountDownLatch(1);

        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            // Occupy every executor thread (at most 32), so the write waits in the queue.
            for (int i = 0; i < 40; i++) {
                loop.runInExecutor(null, () -> release.await(30, TimeUnit.SECONDS));
            }
            Future<Path> write = AsyncFiles.writeString(file, "should not be written");
            assertTrue(write.cancel());
            assertTrue(write.isCancelled());
            release.countDown();
            return Async.completed(null);
        });
        // EventLoop.run returned after shutting the executor down: every queued task has run.
        assertFalse(Files.exists(file));
    }

    @Test
    void aCancelledOffloadThatHadStartedHandsItsValueToDropped() throws Exception {
        Object lock = new Object();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> dropped = new ArrayList<>();

        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            Future<String> f = Offload.start(loop, lock, () -> {
                started.countDown();
                release.await(30, TimeUnit.SECONDS);
                return "opened";
            }, dropped::add);
            return Async.toThread(() -> started.await(30, TimeUnit.SECONDS)).then(ok -> {
                assertTrue(f.cancel());
                release.countDown();
                // the finished work crosses back to the loop soon; a bounded wait for it
                int[] rounds = {0};
                return Async.repeat(() -> Async.toThread(() -> null)
                        .map(ignored -> dropped.isEmpty() && ++rounds[0] < 10_000));
            });
        });

        assertEquals(List.of("opened"), dropped);
    }

    @Test
    void errorsFromTheExecutorAreTheOriginalExceptions() {
        Path file = dir.resolve("no-such-dir").resolve("x.txt");

        CompletionException e = assertThrows(CompletionException.class,
                () -> EventLoop.run(() -> AsyncFiles.writeString(file, "x")));

        assertInstanceOf(NoSuchFileException.class, e.getCause(), "the original, not an ExecutionException");
    }
}
