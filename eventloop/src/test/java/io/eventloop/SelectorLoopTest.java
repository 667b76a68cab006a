package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop on the real selector: readiness callbacks on a pipe, close, real time. */
@Timeout(60)
class SelectorLoopTest {

    /** A pipe whose two ends are closed together. */
    private static final class OpenPipe implements AutoCloseable {
        final Pipe pipe;

        OpenPipe(boolean nonBlocking) throws IOException {
            pipe = Pipe.open();
            if (nonBlocking) {
                pipe.source().configureBlocking(false);
                pipe.sink().configureBlocking(false);
            }
        }

        Pipe.SourceChannel source() {
            return pipe.source();
        }

        Pipe.SinkChannel sink() {
            return pipe.sink();
        }

        void write(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                pipe.sink().write(b);
            }
        }

        /** Reads what is there without waiting (the source is non-blocking). */
        String readAvailable() {
            ByteBuffer b = ByteBuffer.allocate(1024);
            try {
                pipe.source().read(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            try {
                pipe.source().close();
            } finally {
                pipe.sink().close();
            }
        }
    }

    /** Stops {@code loop} after 20 s if nothing else does, a hang guard only; the caller cancels it. */
    private static TimerHandle guard(EventLoop loop, boolean[] fired) {
        return loop.callLater(Duration.ofSeconds(20), () -> {
            fired[0] = true;
            loop.stop();
        });
    }

    // ------------------------------------------------------------------ readers and writers

    @Test
    void dataWrittenToThePipeWakesTheReader() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true)) {
            StringBuilder received = new StringBuilder();
            loop.addReader(p.source(), () -> {
                received.append(p.readAvailable());
                if (received.toString().equals("hello")) {
                    loop.stop();
                }
            });
            List<Throwable> writerFailure = new ArrayList<>();
            Thread writer = new Thread(() -> {
                try {
                    p.write("hello");
                } catch (IOException e) {
                    writerFailure.add(e);
                }
            });
            loop.callSoon(writer::start); // the loop is running and about to block in select
            boolean[] timedOut = {false};
            TimerHandle g = guard(loop, timedOut);
            loop.runForever();
            writer.join(10_000);
            g.cancel();
            assertFalse(timedOut[0], "the reader was never called");
            assertEquals("hello", received.toString());
            assertEquals(List.of(), writerFailure);
            assertTrue(loop.removeReader(p.source()));
        }
    }

    @Test
    void removeReaderReportsWhetherAReaderWasRegistered() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true); OpenPipe q = new OpenPipe(true)) {
            assertFalse(loop.removeReader(p.source()), "never registered");
            loop.addReader(p.source(), () -> { });
            assertFalse(loop.removeWriter(p.source()), "a reader is not a writer");
            assertFalse(loop.removeReader(q.source()), "another channel");
            assertTrue(loop.removeReader(p.source()));
            assertFalse(loop.removeReader(p.source()), "already removed");
            loop.addReader(p.source(), () -> { }); // can be added again
            assertTrue(loop.removeReader(p.source()));
        }
    }

    @Test
    void aRemovedReaderIsNotCalledAgain() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true)) {
            List<String> log = new ArrayList<>();
            loop.addReader(p.source(), () -> log.add("reader"));
            assertTrue(loop.removeReader(p.source()));
            p.write("x");
            for (int i = 0; i < 3; i++) {
                loop.callSoon(loop::stop);
                loop.runForever();
            }
            assertEquals(List.of(), log);
        }
    }

    @Test
    void addReaderReplacesThePreviousReader() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true)) {
            List<String> log = new ArrayList<>();
            loop.addReader(p.source(), () -> log.add("first"));
            loop.addReader(p.source(), () -> {
                log.add("second " + p.readAvailable());
                loop.stop();
            });
            p.write("x");
            boolean[] timedOut = {false};
            TimerHandle g = guard(loop, timedOut);
            loop.runForever();
            g.cancel();
            assertFalse(timedOut[0]);
            assertEquals(List.of("second x"), log);
        }
    }

    @Test
    void addWriterCallsBackWhenTheChannelIsWritable() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true)) {
            List<String> log = new ArrayList<>();
            loop.addWriter(p.sink(), () -> {
                log.add("writable");
                log.add("removed " + loop.removeWriter(p.sink()));
                loop.stop();
            });
            boolean[] timedOut = {false};
            TimerHandle g = guard(loop, timedOut);
            loop.runForever();
            g.cancel();
            assertFalse(timedOut[0]);
            assertEquals(List.of("writable", "removed true"), log);
            assertFalse(loop.removeWriter(p.sink()));
        }
    }

    @Test
    void readerAndWriterOfDifferentChannelsAreIndependent() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true)) {
            List<String> log = new ArrayList<>();
            loop.addReader(p.source(), () -> {
                log.add("read " + p.readAvailable());
                loop.removeReader(p.source());
                loop.stop();
            });
            loop.addWriter(p.sink(), () -> {
                try {
                    p.write("ping");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                log.add("wrote");
                loop.removeWriter(p.sink());
            });
            boolean[] timedOut = {false};
            TimerHandle g = guard(loop, timedOut);
            loop.runForever();
            g.cancel();
            assertFalse(timedOut[0]);
            assertEquals(List.of("wrote", "read ping"), log);
        }
    }

    @Test
    void removingAReaderCancelsADispatchAlreadyQueuedInTheSameIteration() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe a = new OpenPipe(true); OpenPipe b = new OpenPipe(true)) {
            List<String> log = new ArrayList<>();
            loop.addReader(a.source(), () -> {
                log.add("a " + a.readAvailable());
                loop.removeReader(b.source());
                loop.stop();
            });
            loop.addReader(b.source(), () -> {
                log.add("b " + b.readAvailable());
                loop.removeReader(a.source());
                loop.stop();
            });
            a.write("1");
            b.write("2");
            boolean[] timedOut = {false};
            TimerHandle g = guard(loop, timedOut);
            loop.runForever(); // both are readable in the first select; whichever runs first removes the other
            for (int i = 0; i < 3; i++) {
                loop.callSoon(loop::stop);
                loop.runForever();
            }
            g.cancel();
            assertFalse(timedOut[0]);
            assertEquals(1, log.size(), log::toString);
            assertTrue(log.get(0).equals("a 1") || log.get(0).equals("b 2"), log::toString);
        }
    }

    // ------------------------------------------------------------------ A.10

    @Test
    void aReadinessIsDispatchedOnceEvenAcrossStopAndRestart() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true)) {
            List<String> calls = new ArrayList<>();
            loop.addReader(p.source(), () -> calls.add(p.readAvailable()));
            boolean[] timedOut = {false};
            TimerHandle g = guard(loop, timedOut);
            for (String message : List.of("one", "two")) {
                p.write(message);
                int before = calls.size();
                while (calls.size() == before && !timedOut[0]) {
                    loop.callSoon(loop::stop);
                    loop.runForever();
                }
                for (int i = 0; i < 5; i++) { // stop in the same iteration, restart: nothing runs twice
                    loop.callSoon(loop::stop);
                    loop.runForever();
                }
            }
            g.cancel();
            assertFalse(timedOut[0]);
            assertEquals(List.of("one", "two"), calls);
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void addingABlockingOrWrongWayChannelThrowsIllegalArgument() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe blocking = new OpenPipe(false); OpenPipe p = new OpenPipe(true)) {
            assertThrows(IllegalArgumentException.class, () -> loop.addReader(blocking.source(), () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addWriter(blocking.sink(), () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addReader(p.sink(), () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addWriter(p.source(), () -> { }));
            assertFalse(loop.removeReader(blocking.source()));
            assertFalse(blocking.source().isRegistered());
            assertFalse(p.sink().isRegistered());
        }
    }

    @Test
    void addingAClosedChannelThrowsIllegalArgument() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            OpenPipe p = new OpenPipe(true);
            p.close();
            assertThrows(IllegalArgumentException.class, () -> loop.addReader(p.source(), () -> { }));
        }
    }

    @Test
    void nullArgumentsAreRejectedByName() throws Exception {
        try (EventLoop loop = new EventLoop(); OpenPipe p = new OpenPipe(true)) {
            assertEquals("channel", assertThrows(NullPointerException.class,
                    () -> loop.addReader(null, () -> { })).getMessage());
            assertEquals("channel", assertThrows(NullPointerException.class,
                    () -> loop.addWriter(null, () -> { })).getMessage());
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> loop.addReader(p.source(), null)).getMessage());
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> loop.addWriter(p.sink(), null)).getMessage());
            assertEquals("channel", assertThrows(NullPointerException.class,
                    () -> loop.removeReader(null)).getMessage());
            assertEquals("channel", assertThrows(NullPointerException.class,
                    () -> loop.removeWriter(null)).getMessage());
            assertFalse(p.source().isRegistered());
        }
    }

    // ------------------------------------------------------------------ close (A.11, A.13)

    @Test
    void afterCloseAddingThrowsIllegalStateAndRemovingReturnsFalse() throws Exception {
        try (OpenPipe p = new OpenPipe(true)) {
            EventLoop loop = new EventLoop();
            loop.addReader(p.source(), () -> { });
            loop.addWriter(p.sink(), () -> { });
            loop.close();
            assertThrows(IllegalStateException.class, () -> loop.addReader(p.source(), () -> { }));
            assertThrows(IllegalStateException.class, () -> loop.addWriter(p.sink(), () -> { }));
            assertFalse(loop.removeReader(p.source()));
            assertFalse(loop.removeWriter(p.sink()));
            assertTrue(p.source().isOpen(), "closing the loop does not close user channels");
        }
    }

    @Test
    void closeReleasesTheSelector() throws Exception {
        NioPoller poller = new NioPoller();
        EventLoop loop = new EventLoop(EventLoop.Options.defaults(), Clock.SYSTEM, poller);
        try (OpenPipe p = new OpenPipe(true)) {
            loop.addReader(p.source(), () -> { });
            assertEquals(1, loop.registeredChannels());
            assertTrue(p.source().isRegistered());
            loop.close();
            assertThrows(ClosedSelectorException.class, poller::registeredCount);
            assertFalse(p.source().isRegistered(), "the channel must be deregistered from the closed selector");
        } finally {
            loop.close();
        }
    }

    @Test
    void closedLoopsGiveBackEveryFileDescriptor() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        new EventLoop().close(); // the JVM's first loop warms up the JDK's socket I/O, which keeps one descriptor for good
        long baseline = countEntries(fds);
        List<EventLoop> loops = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            loops.add(new EventLoop());
        }
        assertTrue(countEntries(fds) >= baseline + 5, "each loop should hold a selector");
        for (EventLoop loop : loops) {
            loop.close();
        }
        assertEquals(baseline, countEntries(fds));
    }

    private static long countEntries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    // ------------------------------------------------------------------ real time (B.16)

    @Test
    void aTenMillisecondSleepTakesAtLeastTenMilliseconds() {
        try (EventLoop loop = new EventLoop()) {
            long start = loop.time();
            assertEquals("slept", loop.runUntilComplete(Async.sleep(Duration.ofMillis(10), "slept")));
            long elapsed = loop.time() - start;
            assertTrue(elapsed >= 10_000_000L, "slept only " + elapsed + " ns");
        }
    }

    @Test
    void timeIsTheMonotonicNanoClock() {
        try (EventLoop loop = new EventLoop()) {
            long previous = loop.time();
            for (int i = 0; i < 1000; i++) {
                long before = System.nanoTime();
                long t = loop.time();
                long after = System.nanoTime();
                assertTrue(before <= t && t <= after, "time() is not System.nanoTime()");
                assertTrue(t >= previous, "time() went backwards");
                previous = t;
            }
        }
    }
}
