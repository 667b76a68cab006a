package io.eventloop.await;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.testing.EventLoopTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Loud failures instead of hangs: each says what to do. */
class AwaitMisuseTest {

    @Test
    @EventLoopTest
    void awaitOutsideACoroutineSaysWhereAwaitWorks(EventLoop loop) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(Async.sleep(Duration.ofMillis(1))));
        assertTrue(e.getMessage().contains("outside a coroutine") && e.getMessage().contains("Await.async"), e.getMessage());
    }

    @EventLoopTest
    Future<?> awaitInACallbackInsideACoroutineIsOutsideIt(EventLoop loop) {
        return async(() -> {
            Future<Object> inCallback = Async.yieldNow().map(v -> await(Async.sleep(Duration.ofMillis(1))));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(inCallback));
            assertTrue(e.getMessage().contains("not a callback such as then, map or onDone"), e.getMessage());
            return null;
        });
    }

    @EventLoopTest
    Future<?> awaitOnAnotherThreadSaysItIsNotTheLoopThread(EventLoop loop) {
        Future<String> pending = loop.createFuture();
        return async(() -> {
            Exception e = assertThrows(Exception.class, () -> await(Async.toThread(() -> await(pending))));
            assertTrue(e instanceof IllegalStateException && e.getMessage().contains("not the loop thread"), e.toString());
            pending.complete("unused");
            return null;
        });
    }

    @EventLoopTest
    Future<?> awaitOfAFutureOfAnotherLoopIsRefused(EventLoop loop) {
        return async(() -> {
            try (EventLoop other = new EventLoop()) {
                Future<String> foreign = other.createFuture();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(foreign));
                assertTrue(e.getMessage().contains("another event loop"), e.getMessage());
            }
            return null;
        });
    }

    private final Object monitor = new Object();

    @EventLoopTest
    Future<?> awaitInsideSynchronizedSaysTheStackIsPinnedBeforeJdk24(EventLoop loop) {
        assumeTrue(Runtime.version().feature() < 24, "JDK 24+ suspends a continuation that holds a monitor");
        return async(() -> {
            IllegalStateException e;
            synchronized (monitor) {
                e = assertThrows(IllegalStateException.class, () -> await(Async.yieldNow()));
            }
            assertTrue(e.getMessage().contains("synchronized") && e.getMessage().contains("AsyncLock"), e.getMessage());
            await(Async.yieldNow()); // the body can still suspend once out of it
            return null;
        });
    }

    @EventLoopTest
    Future<?> fromJdk24DebugModeRefusesAnAwaitInsideSynchronizedNamingTheMonitor(EventLoop loop) {
        assumeTrue(Runtime.version().feature() >= 24, "before JDK 24 the await is refused in any mode");
        assertTrue(loop.isDebug());
        return async(() -> {
            IllegalStateException e;
            synchronized (monitor) {
                e = assertThrows(IllegalStateException.class, () -> await(Async.yieldNow()));
            }
            assertTrue(e.getMessage().contains("synchronized") && e.getMessage().contains("java.lang.Object locked in")
                    && e.getMessage().contains("AsyncLock"), e.getMessage());
            await(Async.yieldNow()); // out of it, the body suspends as usual
            return null;
        });
    }

    @EventLoopTest
    Future<?> debugModeLetsABodyAwaitWhileTheLoopThreadHoldsAMonitorOutsideIt(EventLoop loop) {
        // A monitor held below the body (by whoever runs the loop) is not the body's to carry away.
        return async(() -> {
            await(Async.yieldNow());
            return "suspended";
        }).map(v -> {
            assertEquals("suspended", v);
            return null;
        });
    }

    /**
     * What the guide warns of: from JDK 24 (JEP 491) the JVM suspends a body inside
     * {@code synchronized}, and the monitor goes with it, so the loop thread no longer holds it. If
     * a JDK changes this, this test says so. Debug mode off: on, the await is refused (above).
     */
    @EventLoopTest(debug = false)
    Future<?> fromJdk24ABodySuspendedInsideSynchronizedTakesTheMonitorWithIt(EventLoop loop) {
        assumeTrue(Runtime.version().feature() >= 24, "before JDK 24 the await is refused");
        Future<Void> inside = loop.createFuture();
        Future<Void> release = loop.createFuture();
        Task<Void> holder = async(() -> {
            synchronized (monitor) {
                inside.complete(null);
                await(release);
                assertTrue(Thread.holdsLock(monitor), "back with the body");
            }
            return null;
        });
        return async(() -> {
            await(inside);
            assertFalse(Thread.holdsLock(monitor), "the loop thread does not hold it while the body is suspended");
            release.complete(null);
            return await(holder);
        });
    }

    /** Awaits in its static initializer: a class initializer runs under a native frame. */
    static final class AwaitsInItsInitializer {
        static final IllegalStateException FAILURE;

        static {
            IllegalStateException caught = null;
            try {
                await(Async.yieldNow());
            } catch (IllegalStateException e) {
                caught = e;
            }
            FAILURE = caught;
        }
    }

    @EventLoopTest
    Future<?> awaitUnderANativeFrameSaysTheStackIsPinned(EventLoop loop) {
        return async(() -> {
            IllegalStateException e = AwaitsInItsInitializer.FAILURE;
            assertTrue(e != null && e.getMessage().contains("native frame"), String.valueOf(e));
            return null;
        });
    }

    /** The child JVM of {@link #aJvmWithoutTheExportIsToldWhichFlagToAdd}. */
    public static void main(String[] args) {
        try {
            EventLoop.run(() -> async(() -> "unreachable"));
            System.out.println("no failure");
        } catch (UnsupportedOperationException e) {
            System.out.println(e.getMessage());
        }
    }

    @Test
    void aJvmWithoutTheExportIsToldWhichFlagToAdd() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                AwaitMisuseTest.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ended");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), out);
    }
}
