package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS F.54–F.60: {@link Async#waitFor}, what needs the package-private timer count. The
 * rest, on the public API, is in eventloop-testing's {@code io.eventloop.testing.timeouts.WaitForTest}.
 */
class WaitForTest {

    // ------------------------------------------------------------------ F.57

    @Test
    void anInnerDoneBeforeTheDeadlineGivesItsResultAndCancelsTheTimer() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            f.loop.callLater(Duration.ofMillis(100), () -> inner.complete("ok"));
            long start = f.clock.nanoTime();

            assertEquals("ok", f.loop.runUntilComplete(Async.waitFor(inner, Duration.ofMillis(200))));

            assertEquals(100, f.elapsedMillis(start));
            f.iterate(1);
            assertEquals(0, f.loop.timerCount(), "the 200 ms timer was cancelled");
        }
    }

    // ------------------------------------------------------------------ F.59

    @Test
    void cancellingWaitForItselfCancelsTheInnerAndEndsCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            Future<String> w = Async.waitFor(inner, Duration.ofSeconds(5));

            assertTrue(w.cancel("stop"));
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(w));

            assertTrue(inner.isCancelled());
            assertTrue(w.isCancelled());
            assertFalse(w.cancel());
            f.iterate(1);
            assertEquals(0, f.loop.timerCount(), "the 5 s timer was cancelled");
        }
    }
}
