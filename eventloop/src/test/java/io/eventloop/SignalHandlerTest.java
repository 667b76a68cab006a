package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** addSignalHandler: the handler runs on the loop thread; removing it restores what was there. */
class SignalHandlerTest {

    @Test
    void aRaisedSignalRunsTheHandlerOnTheLoopThreadAndRemoveRestoresThePreviousHandler() throws Exception {
        // First a guard of our own, so that a HUP can never reach the JVM's default (exit) in this
        // test, whatever goes wrong; the loop's handler replaces it and must give it back.
        CountDownLatch guardSaw = new CountDownLatch(1);
        SignalHandler original = Signal.handle(new Signal("HUP"), s -> guardSaw.countDown());
        try (EventLoop loop = new EventLoop(EventLoop.Options.defaults().watchdog(null))) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Future<Void> handled = loop.createFuture();
            loop.addSignalHandler("HUP", () -> {
                ranOn.set(Thread.currentThread());
                handled.complete(null);
            });
            Signal.raise(new Signal("HUP"));
            loop.runUntilComplete(handled);
            assertSame(Thread.currentThread(), ranOn.get());
            assertEquals(1, guardSaw.getCount(), "the guard must not see a signal the loop handles");
            assertTrue(loop.removeSignalHandler("HUP"));
            assertFalse(loop.removeSignalHandler("HUP"));
            Signal.raise(new Signal("HUP"));
            assertTrue(guardSaw.await(30, TimeUnit.SECONDS), "removeSignalHandler must restore the guard");
        } finally {
            Signal.handle(new Signal("HUP"), original);
        }
    }

    @Test
    void closeRestoresThePreviousHandler() throws Exception {
        CountDownLatch guardSaw = new CountDownLatch(1);
        SignalHandler original = Signal.handle(new Signal("HUP"), s -> guardSaw.countDown());
        try {
            EventLoop loop = new EventLoop(EventLoop.Options.defaults().watchdog(null));
            loop.addSignalHandler("HUP", () -> { });
            loop.close();
            Signal.raise(new Signal("HUP"));
            assertTrue(guardSaw.await(30, TimeUnit.SECONDS), "close must restore the guard");
        } finally {
            Signal.handle(new Signal("HUP"), original);
        }
    }

    @Test
    void anUnknownSignalNameIsRejectedNamingTheValue() {
        try (EventLoop loop = new EventLoop(EventLoop.Options.defaults().watchdog(null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler("SIGINT", () -> { }));
            assertTrue(e.getMessage().contains("SIGINT"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler("KILL"));
        }
    }

    /** The child: handles INT, then says what happened. */
    static final class HandlesInt {
        public static void main(String[] args) {
            try (EventLoop loop = new EventLoop(EventLoop.Options.defaults().watchdog(null))) {
                loop.addSignalHandler("INT", () -> System.out.println("INT handled"));
                System.out.println("added");
                System.out.println("removed " + loop.removeSignalHandler("INT"));
            }
        }
    }

    /**
     * A JVM started with SIGINT ignored (a shell script's {@code java ... &}) cannot handle it:
     * HotSpot leaves the signal ignored and {@code Signal.handle} does not complain. The loop says
     * so instead of installing a handler that never runs without a word.
     */
    @Test
    @DisabledOnOs(OS.WINDOWS)
    @org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES) // a safety net only
    void aSignalTheProcessIgnoresSinceItStartedIsRegisteredWithAWarningThatItWillNeverRun() throws Exception {
        ChildJvm.Output child = ChildJvm.run("trap '' INT", HandlesInt.class, List.of());
        assertEquals(0, child.exitCode(), child.err());
        assertEquals("added\nremoved true\n", child.out());
        assertTrue(child.err().contains("WARN io.eventloop.EventLoop - EventLoop@"), child.err());
        assertTrue(child.err().contains(": addSignalHandler(\"INT\"): SIGINT is ignored in this process, so this"
                + " handler will never run"), child.err());
    }
}
