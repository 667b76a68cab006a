package io.eventloop.testing;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.assertPendingAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a test under {@code @EventLoopTest} can rely on, when all goes well. */
@EventLoopTest
class EventLoopTestTest {

    @Test
    void theTestRunsOnTheLoopThreadWithItsLoopCurrent(EventLoop loop) {
        assertSame(loop, EventLoop.current());
        assertTrue(loop.inLoopThread());
        assertFalse(loop.isRunning());
    }

    @EventLoopTest
    Future<?> anHourOfSleepTakesNoWallTimeAndExactlyAnHourOfLoopTime(EventLoop loop, TestClock clock) {
        long before = loop.time();
        long wall = System.nanoTime();
        return Async.sleep(Duration.ofHours(1)).map(v -> {
            assertEquals(Duration.ofHours(1).toNanos(), loop.time() - before);
            assertEquals(Duration.ofHours(1), clock.elapsed());
            assertTrue(System.nanoTime() - wall < Duration.ofMinutes(1).toNanos(), "not an hour of wall time");
            return v;
        });
    }

    @EventLoopTest
    Future<?> timersFireInDeadlineOrderAcrossJumps(EventLoop loop) {
        List<String> order = new ArrayList<>();
        Future<Void> a = Async.sleep(Duration.ofSeconds(3)).map(v -> { order.add("3 s"); return v; });
        Future<Void> b = Async.sleep(Duration.ofSeconds(1)).map(v -> { order.add("1 s"); return v; });
        Future<Void> c = Async.sleep(Duration.ofMinutes(2)).map(v -> { order.add("2 min"); return v; });
        return Async.gather(a, b, c).map(v -> {
            assertEquals(List.of("1 s", "3 s", "2 min"), order);
            return v;
        });
    }

    @Test
    void aTimeoutFiresOnFakeTime() {
        Future<Void> never = EventLoop.current().createFuture();
        assertFails(TimeoutException.class, Async.waitFor(never, Duration.ofSeconds(30)));
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void manualTimeMovesOnlyWhenAdvanced(EventLoop loop, TestClock clock) {
        Task<String> t = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)).map(v -> "woke"));
        assertPendingAfter(5, t);
        clock.advance(Duration.ofSeconds(9));
        assertFalse(t.isDone());
        clock.advance(Duration.ofSeconds(1));
        assertEquals("woke", assertCompletes(t));
        assertEquals(Duration.ofSeconds(10), clock.elapsed());
    }

    @Test
    void advancingBackwardsIsRefusedNamingTheValue(TestClock clock) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertEquals("time only moves forward: advance(PT-1S)", e.getMessage());
    }

    @Test
    void theClockIsAnInstantSourceThatMovesWithTheLoop(TestClock clock) {
        java.time.Instant before = clock.instant();
        clock.advance(Duration.ofDays(2));
        assertEquals(Duration.ofDays(2), Duration.between(before, clock.instant()));
    }

    @Test
    void executorWorkIsWaitedForInRealTimeWithoutJumpingPastIt(EventLoop loop) {
        Future<String> slow = loop.runInExecutor(null, () -> "from a thread");
        Future<String> raced = Async.waitFor(slow, Duration.ofSeconds(5)); // would time out if time jumped
        assertEquals("from a thread", assertCompletes(raced));
    }

    @Test
    void assertFailsReturnsTheCancellationItself(EventLoop loop) {
        Future<String> f = loop.createFuture();
        f.cancel("cancelled elsewhere");
        assertEquals("cancelled elsewhere", assertFails(java.util.concurrent.CancellationException.class, f).getMessage());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 60})
    void parameterizedTestsRunOnTheLoopToo(int minutes, EventLoop loop, TestClock clock) {
        loop.createTask(() -> Async.sleep(Duration.ofMinutes(minutes)));
        // the body returns; the loop then runs the sleep on fake time, so nothing is left pending
    }

    @Test
    void aFailureThatIsAssertedIsNotReported() {
        assertFails(IllegalStateException.class, Async.failed(new IllegalStateException("expected")));
    }
}
