package io.eventloop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Each way a test on the loop can go wrong without noticing, run through JUnit's test kit: the
 * test must fail, with a message that says what to fix. The tests run here are the nested classes.
 */
class FailureModesTest {
    /** Runs {@code testClass} and returns the failure messages of what failed (tests and containers). */
    private static List<String> failuresOf(Class<?> testClass) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().allEvents();
        return events.failed().stream().map(FailureModesTest::message).collect(Collectors.toList());
    }

    private static String message(Event e) {
        Throwable t = e.getPayload(org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
                .orElseThrow();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void assertOneFailure(Class<?> testClass, String... parts) {
        List<String> failures = failuresOf(testClass);
        assertEquals(1, failures.size(), failures::toString);
        for (String part : parts) {
            assertTrue(failures.get(0).contains(part), () -> "expected \"" + part + "\" in: " + failures.get(0));
        }
    }

    @EventLoopTest
    static class LeaksAPendingTask {
        @EventLoopTest
        Future<?> leaves(EventLoop loop) {
            Future<Void> never = loop.createFuture();
            loop.createTask("forgotten", () -> never);
            return Async.completed(null);
        }
    }

    @Test
    void aTaskLeftPendingFailsTheTestNamingIt() {
        assertOneFailure(LeaksAPendingTask.class, "1 task is still pending", "Task[forgotten", "created at",
                "FailureModesTest$LeaksAPendingTask.leaves");
    }

    @EventLoopTest
    static class VoidLeaksAPendingTask {
        @Test
        void leaves(EventLoop loop) {
            loop.createTask("forgotten", () -> loop.createFuture());
        }
    }

    @Test
    void aVoidTestThatLeavesATaskWaitingOnNothingFails() {
        assertOneFailure(VoidLeaksAPendingTask.class, "1 task is still pending", "Task[forgotten",
                "Nothing left can make them go on");
    }

    @EventLoopTest
    static class DropsAFailure {
        @Test
        void drops(EventLoop loop) {
            loop.createFuture().fail(new IllegalStateException("dropped on the floor"));
        }
    }

    @Test
    void aFailureNobodyRetrievedFailsTheTest() {
        assertOneFailure(DropsAFailure.class, "exception handler was called 1 time", "never retrieved",
                "dropped on the floor");
    }

    @EventLoopTest
    static class ThrowsOnTheLoopThread {
        @EventLoopTest
        Future<?> throwsInACallback(EventLoop loop) {
            loop.callSoon(() -> {
                throw new IllegalArgumentException("thrown by a callback");
            });
            return Async.sleep(Duration.ofSeconds(1));
        }
    }

    @Test
    void anExceptionThrownOnTheLoopThreadReachesTheTestRunner() {
        assertOneFailure(ThrowsOnTheLoopThread.class, "exception handler was called 1 time", "thrown by a callback");
    }

    @EventLoopTest
    static class NeverFinishes {
        @EventLoopTest
        Future<?> waitsOnNothing(EventLoop loop) {
            Future<Void> never = loop.createFuture();
            return loop.createTask("waiter", () -> never);
        }
    }

    @Test
    void aTestThatCanNeverFinishFailsAtOnceSayingWhy() {
        long start = System.nanoTime();
        assertOneFailure(NeverFinishes.class, "can never finish", "nothing is ready, no timer is set",
                "Task[waiter");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "not the 30 s limit");
    }

    @EventLoopTest
    static class HangsOnASocket {
        @EventLoopTest(timeoutMillis = 300)
        Future<?> waitsForAClientThatNeverComes(EventLoop loop) {
            return loop.createServer(() -> new io.eventloop.net.Protocol() { }, "127.0.0.1", 0)
                    .then(server -> loop.createTask("serving", server::serveForever));
        }
    }

    @Test
    void aTestWaitingOnRealIoPastItsLimitFailsWithTheTaskDump() {
        assertOneFailure(HangsOnASocket.class, "ran longer than its limit of 300 ms", "Task[serving");
    }

    @EventLoopTest(autoAdvance = false)
    static class ManualTimeNobodyAdvances {
        @EventLoopTest(autoAdvance = false)
        Future<?> sleeps() {
            return Async.sleep(Duration.ofSeconds(5));
        }
    }

    @Test
    void manualTimeThatNobodyAdvancesFailsSayingSo() {
        assertOneFailure(ManualTimeNobodyAdvances.class, "can never finish", "only advance() moves");
    }

    @EventLoopTest
    static class ReturnsAnotherLoopsFuture {
        @EventLoopTest
        Future<?> foreign(EventLoop loop) {
            EventLoop other = new EventLoop();
            Future<Object> f = other.createFuture();
            other.close();
            return f;
        }
    }

    @Test
    void aFutureOfAnotherLoopIsRefusedNamingBoth() {
        assertOneFailure(ReturnsAnotherLoopsFuture.class, "a future of another loop", "not of its own",
                "EventLoop 'ReturnsAnotherLoopsFuture.foreign'");
    }

    @EventLoopTest
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class UsesAnotherTestsLoop {
        static EventLoop kept;

        @Test
        void first(EventLoop loop) {
            kept = loop;
        }

        @Test
        void second() {
            kept.callSoon(() -> { });
        }
    }

    @Test
    void aTestThatUsesAnotherTestsLoopIsToldWhichTestItBelongedTo() {
        assertOneFailure(UsesAnotherTestsLoop.class, "EventLoop 'UsesAnotherTestsLoop.first'", "is closed");
    }

    @EventLoopTest
    static class FutureWithTestAlone {
        @Test
        Future<?> skippedByJUnit() {
            return Async.completed(null);
        }

        @Test
        void run() {
        }
    }

    @Test
    void aFutureReturningTestAnnotatedTestAloneFailsTheClassInsteadOfBeingSkipped() {
        assertOneFailure(FutureWithTestAlone.class, "skippedByJUnit returns a Future", "@EventLoopTest instead of @Test");
    }

    @EventLoopTest
    static class FailsItself {
        @EventLoopTest
        Future<?> fails() {
            return Async.sleep(Duration.ofMinutes(1)).map(v -> {
                throw new AssertionError("expected 2, got 3");
            });
        }
    }

    @Test
    void aFailingFutureIsTheTestsOwnFailure() {
        assertOneFailure(FailsItself.class, "AssertionError: expected 2, got 3");
    }
}
