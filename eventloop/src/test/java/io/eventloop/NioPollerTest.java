package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS M.140: the selector spin guard. */
class NioPollerTest {
    private Pipe pipe;
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();

    @BeforeEach
    void openPipe() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        if (loop != null) {
            loop.close();
        }
        pipe.sink().close();
        pipe.source().close();
    }

    private EventLoop loopOn(NioPoller poller) {
        loop = new EventLoop(EventLoop.Options.defaults(), Clock.SYSTEM, poller);
        loop.setExceptionHandler((l, c) -> errors.add(c));
        return loop;
    }

    /** A reader on the pipe that completes the returned future with what it reads. */
    private Future<String> readPipe() {
        Future<String> got = loop.createFuture();
        loop.addReader(pipe.source(), () -> {
            ByteBuffer b = ByteBuffer.allocate(16);
            try {
                pipe.source().read(b);
            } catch (IOException e) {
                got.fail(e);
                return;
            }
            loop.removeReader(pipe.source());
            got.complete(new String(b.array(), 0, b.position()));
        });
        return got;
    }

    private static <T> T runGuarded(EventLoop loop, Future<T> f) {
        return loop.runUntilComplete(Async.waitFor(f, Duration.ofSeconds(30)));
    }

    @Test
    void prematureReturnsInARowRebuildTheSelectorAndMoveEveryKey() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        NioPoller poller = new NioPoller((s, onReady, timeout) -> {
            if (calls.incrementAndGet() <= 600) {
                return 0; // the epoll bug: back at once with nothing, long before the timeout
            }
            return s.select(onReady, timeout);
        }, NioPoller.DEFAULT_SPIN_THRESHOLD);
        loopOn(poller);
        Selector before = poller.selector();
        Future<String> got = readPipe();
        pipe.sink().write(ByteBuffer.wrap("x".getBytes()));
        assertEquals("x", runGuarded(loop, got));
        assertEquals(1, poller.rebuilds, "rebuilt once, at the 512th premature return");
        Selector after = poller.selector();
        assertNotSame(before, after);
        assertFalse(before.isOpen(), "the old selector is closed");
        SelectionKey moved = pipe.source().keyFor(after);
        assertTrue(moved != null && moved.isValid(), "the key moved to the new selector");
        assertEquals(0, moved.interestOps(), "with its interest set (the reader removed itself)");
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void aSelectorFailureRebuildsItAndIsReported() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        IOException failure = new IOException("epoll_wait failed");
        NioPoller poller = new NioPoller((s, onReady, timeout) -> {
            if (calls.incrementAndGet() == 1) {
                throw failure;
            }
            return s.select(onReady, timeout);
        }, NioPoller.DEFAULT_SPIN_THRESHOLD);
        loopOn(poller);
        Future<String> got = readPipe();
        Selector before = poller.selector();
        loop.callLater(Duration.ofMillis(20), () -> {
            try {
                pipe.sink().write(ByteBuffer.wrap("y".getBytes()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals("y", runGuarded(loop, got));
        assertEquals(1, poller.rebuilds);
        assertNotSame(before, poller.selector());
        assertEquals(1, errors.size(), errors::toString);
        assertSame(failure, errors.get(0).exception());
    }

    @Test
    void anInterruptOfTheLoopThreadCausesNeitherASpinNorARebuild() {
        NioPoller poller = new NioPoller((s, onReady, timeout) -> s.select(onReady, timeout), 3);
        loopOn(poller);
        loop.callSoon(() -> Thread.currentThread().interrupt());
        runGuarded(loop, Async.sleep(Duration.ofMillis(100)));
        assertEquals(0, poller.rebuilds);
        assertTrue(poller.blockingSelects < 20, "selects in 100 ms: " + poller.blockingSelects);
        assertFalse(Thread.currentThread().isInterrupted(), "the loop cleared the interrupt");
    }

    @Test
    void wakeupsAreNotPrematureReturns() throws Exception {
        NioPoller poller = new NioPoller((s, onReady, timeout) -> s.select(onReady, timeout), 2);
        loopOn(poller);
        Future<Void> done = loop.createFuture();
        Thread other = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
                loop.callSoonThreadsafe(ran::countDown);
                try {
                    ran.await();
                } catch (InterruptedException e) {
                    return;
                }
            }
            loop.callSoonThreadsafe(() -> done.complete(null));
        });
        other.start();
        runGuarded(loop, done);
        other.join();
        assertEquals(0, poller.rebuilds);
    }
}
