package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** BEHAVIOURS A: loop lifecycle and scheduling, on fake time unless the test says otherwise. */
class LoopLifecycleTest {

    /** An Error of our own, so no test confuses it with a failed assertion. */
    private static final class Boom extends Error {
        Boom(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ A.1, A.2 callSoon

    @Test
    void callSoonCallbacksRunInFifoOrderEachExactlyOnce() {
        try (FakeLoop f = new FakeLoop()) {
            List<Integer> log = new ArrayList<>();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                f.loop.callSoon(() -> log.add(n));
                expected.add(i);
            }
            assertEquals(List.of(), log, "callSoon must not run anything inline");
            f.iterate(1);
            assertEquals(expected, log);
            f.iterate(3);
            assertEquals(expected, log);
        }
    }

    @Test
    void callSoonReturnsADistinctHandlePerCall() {
        try (FakeLoop f = new FakeLoop()) {
            Runnable r = () -> { };
            Handle a = f.loop.callSoon(r);
            Handle b = f.loop.callSoon(r);
            assertNotSame(a, b);
            a.cancel();
            assertFalse(b.isCancelled());
        }
    }

    @Test
    void callbackScheduledByARunningCallbackRunsOnTheNextIteration() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callSoon(() -> {
                log.add("a");
                f.loop.callSoon(() -> log.add("c"));
            });
            f.loop.callSoon(() -> log.add("b"));
            f.iterate(1);
            assertEquals(List.of("a", "b"), log);
            f.iterate(1);
            assertEquals(List.of("a", "b", "c"), log);
        }
    }

    @Test
    void callbackScheduledByATimerRunsOnTheNextIteration() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callLater(Duration.ofSeconds(-1), () -> {
                log.add("timer");
                f.loop.callSoon(() -> log.add("soon"));
            });
            f.iterate(1);
            assertEquals(List.of("timer"), log);
            f.iterate(1);
            assertEquals(List.of("timer", "soon"), log);
        }
    }

    @Test
    void cancelledHandleDoesNotRun() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Handle h = f.loop.callSoon(() -> log.add("cancelled one"));
            f.loop.callSoon(() -> log.add("other"));
            h.cancel();
            f.iterate(1);
            assertEquals(List.of("other"), log);
        }
    }

    // ------------------------------------------------------------------ A.3 sleep(0)

    @Test
    void sleepZeroYieldsForExactlyOneIteration() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> y = Async.yieldNow();
            Future<Void> z = Async.sleep(Duration.ZERO);
            assertFalse(y.isDone());
            assertFalse(z.isDone());
            f.iterate(1);
            assertTrue(y.isDone());
            assertTrue(z.isDone());
            assertTrue(f.poller.timeouts.stream().allMatch(t -> t == 0));
        }
    }

    @Test
    void callbacksScheduledBeforeAYieldRunBeforeTheContinuationResumes() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callSoon(() -> log.add("scheduled before"));
            Future<String> resumed = Async.yieldNow().map(v -> {
                log.add("resumed");
                return "done";
            });
            f.loop.callSoon(() -> log.add("scheduled after, same iteration"));
            assertEquals("done", f.loop.runUntilComplete(resumed));
            assertEquals(List.of("scheduled before", "scheduled after, same iteration", "resumed"), log);
        }
    }

    @Test
    void sleepZeroWithAValueReturnsTheValue() {
        try (FakeLoop f = new FakeLoop()) {
            assertEquals("v", f.loop.runUntilComplete(Async.sleep(Duration.ZERO, "v")));
            assertEquals("w", f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(-3), "w")));
        }
    }

    // ------------------------------------------------------------------ A.5 pre-stopped

    @Test
    void stopBeforeRunForeverRunsOneIterationWithoutWaiting() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callLater(Duration.ofSeconds(10), () -> log.add("timer"));
            f.loop.callSoon(() -> {
                log.add("a");
                f.loop.callSoon(() -> log.add("b"));
            });
            f.loop.stop();
            f.loop.runForever();
            assertEquals(List.of("a"), log);
            assertEquals(List.of(0L), f.poller.timeouts);
            assertFalse(f.loop.isRunning());
        }
    }

    @Test
    void stopBeforeRunForeverWithNothingToDoStillReturns() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.stop();
            f.loop.runForever(); // the fake poller fails if asked to block forever
            assertEquals(List.of(0L), f.poller.timeouts);
        }
    }

    @Test
    void isRunningOnlyWhileRunning() {
        try (FakeLoop f = new FakeLoop()) {
            List<Boolean> seen = new ArrayList<>();
            f.loop.callSoon(() -> seen.add(f.loop.isRunning()));
            assertFalse(f.loop.isRunning());
            f.iterate(1);
            assertEquals(List.of(true), seen);
            assertFalse(f.loop.isRunning());
            assertTrue(f.loop.inLoopThread());
        }
    }

    // ------------------------------------------------------------------ A.6 stopped early

    @Test
    void stoppingDuringRunUntilCompleteFailsAndLeavesTheFuturePendingForALaterRun() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)).map(v -> "finished"));
            f.loop.callLater(Duration.ofSeconds(1), f.loop::stop);
            long start = f.clock.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(e.getMessage().startsWith("Event loop stopped before Future completed"), e.getMessage());
            assertFalse(t.isDone());
            assertEquals(1000, f.elapsedMillis(start));

            assertEquals("finished", f.loop.runUntilComplete(t));
            assertEquals(10_000, f.elapsedMillis(start));
        }
    }

    @Test
    void aFutureLeftPendingByAStopCanBeCancelledLater() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)).map(v -> "finished"));
            Future<Void> plain = f.loop.createFuture();
            f.loop.callSoon(f.loop::stop);
            assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(plain));
            f.loop.callSoon(f.loop::stop);
            assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(t));
            assertFalse(plain.isDone());
            assertFalse(t.isDone());

            assertTrue(t.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.isCancelled());
            f.loop.callSoon(() -> plain.complete(null));
            assertEquals(null, f.loop.runUntilComplete(plain));
        }
    }

    // ------------------------------------------------------------------ A.7 re-entrance

    @Test
    void reentrantRunsThrowIllegalState() {
        try (FakeLoop f = new FakeLoop(); FakeLoop other = new FakeLoop()) {
            Future<Void> mine = f.loop.createFuture();
            Future<Void> others = other.loop.createFuture();
            List<Throwable> caught = new ArrayList<>();
            f.loop.callSoon(() -> {
                caught.add(catchThrowable(() -> f.loop.runUntilComplete(mine)));
                caught.add(catchThrowable(f.loop::runForever));
                caught.add(catchThrowable(() -> other.loop.runUntilComplete(others)));
                caught.add(catchThrowable(other.loop::runForever));
                caught.add(catchThrowable(() -> EventLoop.run(() -> Async.completed("nested"))));
            });
            f.iterate(1);
            assertEquals(5, caught.size());
            for (Throwable t : caught) {
                assertTrue(t instanceof IllegalStateException, String.valueOf(t));
            }
            assertTrue(f.errors.isEmpty(), f.errors::toString);
            assertFalse(other.loop.isRunning());
            assertTrue(other.poller.timeouts.isEmpty(), "the other loop must not have run an iteration");
        }
    }

    private static Throwable catchThrowable(Executable e) {
        try {
            e.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    // ------------------------------------------------------------------ A.8 bad futures

    @Test
    void runUntilCompleteRejectsAFutureOfAnotherLoopAndNull() {
        try (FakeLoop f = new FakeLoop(); FakeLoop other = new FakeLoop()) {
            Future<String> foreign = other.loop.createFuture();
            assertThrows(IllegalArgumentException.class, () -> f.loop.runUntilComplete(foreign));
            NullPointerException npe = assertThrows(NullPointerException.class, () -> f.loop.runUntilComplete(null));
            assertEquals("future", npe.getMessage());
            assertTrue(f.poller.timeouts.isEmpty(), "a rejected call must not run the loop");
            assertFalse(foreign.isDone());
        }
    }

    // ------------------------------------------------------------------ A.9 after an Error

    @Test
    void anErrorFromATaskLeavesNoStaleStopBehind() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> t = f.loop.createTask(() -> {
                throw new Boom("task step");
            });
            assertThrows(Boom.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.isDone());

            List<String> log = new ArrayList<>();
            long start = f.clock.nanoTime();
            f.loop.callLater(Duration.ofSeconds(1), () -> log.add("1 s"));
            f.loop.callLater(Duration.ofSeconds(2), f.loop::stop);
            f.loop.runForever();
            assertEquals(List.of("1 s"), log);
            assertEquals(2000, f.elapsedMillis(start));
        }
    }

    @Test
    void anErrorFromACallbackLeavesNoDoneCallbackOnTheFutureItWasRunFor() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Integer> orphan = f.loop.createFuture();
            f.loop.callSoon(() -> {
                throw new Boom("callback");
            });
            assertThrows(Boom.class, () -> f.loop.runUntilComplete(orphan));
            assertFalse(orphan.isDone());

            List<String> log = new ArrayList<>();
            long start = f.clock.nanoTime();
            f.loop.callSoon(() -> orphan.complete(1));
            f.loop.callLater(Duration.ofSeconds(1), () -> log.add("1 s"));
            f.loop.callLater(Duration.ofSeconds(2), f.loop::stop);
            f.loop.runForever();
            assertEquals(List.of("1 s"), log);
            assertEquals(2000, f.elapsedMillis(start));
            assertEquals(1, orphan.result());
        }
    }

    @Test
    void anErrorEndsTheRunAndTheRestOfTheIterationRunsNextTime() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callSoon(() -> log.add("before"));
            f.loop.callSoon(() -> {
                throw new Boom("stop here");
            });
            f.loop.callSoon(() -> log.add("after"));
            Boom b = assertThrows(Boom.class, () -> f.iterate(1));
            assertEquals("stop here", b.getMessage());
            assertEquals(List.of("before"), log);
            assertFalse(f.loop.isRunning());
            f.iterate(1);
            assertEquals(List.of("before", "after"), log);
            assertTrue(f.errors.isEmpty(), "an Error is not an exception for the handler: " + f.errors);
        }
    }

    // ------------------------------------------------------------------ A.11 close

    @Test
    void closeIsIdempotent() {
        FakeLoop f = new FakeLoop();
        Task<Void> pending = f.loop.createTask(() -> Async.sleep(Duration.ofHours(1)));
        f.iterate(2);
        f.loop.close();
        assertTrue(f.loop.isClosed());
        assertTrue(f.poller.closed);
        f.loop.close();
        f.loop.close();
        assertTrue(f.loop.isClosed());
        assertEquals(1, f.errors.size(), "close must report a pending task once: " + f.errors);
        assertSame(pending, f.errors.get(0).task());
    }

    @Test
    @Timeout(30)
    void everySchedulingCallThrowsIllegalStateAfterClose() throws Exception {
        FakeLoop f = new FakeLoop();
        Future<Void> future = f.loop.createFuture();
        f.loop.close();
        assertClosedError(() -> f.loop.callSoon(() -> { }));
        assertClosedError(() -> f.loop.callSoonThreadsafe(() -> { }));
        assertClosedError(() -> f.loop.callLater(Duration.ofSeconds(1), () -> { }));
        assertClosedError(() -> f.loop.callLater(Duration.ZERO, () -> { }));
        assertClosedError(() -> f.loop.callAt(f.loop.time(), () -> { }));
        assertClosedError(() -> f.loop.createTask(() -> Async.completed(1)));
        assertClosedError(() -> f.loop.createTask("named", () -> Async.completed(1)));
        assertClosedError(() -> f.loop.runInExecutor(null, () -> 1));
        assertClosedError(f.loop::runForever);
        assertClosedError(() -> f.loop.runUntilComplete(future));
        assertTrue(f.poller.timeouts.isEmpty(), "a closed loop must not run an iteration");
        assertTrue(f.loop.defaultExecutor.ifCreated() == null, "runInExecutor must not create an executor when closed");

        AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
        Thread t = new Thread(() -> fromOtherThread.set(catchThrowable(() -> f.loop.callSoonThreadsafe(() -> { }))));
        t.start();
        t.join(10_000);
        assertTrue(fromOtherThread.get() instanceof IllegalStateException, String.valueOf(fromOtherThread.get()));
    }

    private static void assertClosedError(Executable call) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    // ------------------------------------------------------------------ A.12 close while running

    @Test
    void closeWhileRunningThrowsAndLeavesTheLoopIntact() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            List<Throwable> caught = new ArrayList<>();
            f.loop.callLater(Duration.ofSeconds(1), () -> log.add("timer"));
            f.loop.callSoon(() -> caught.add(catchThrowable(f.loop::close)));
            f.loop.callSoon(() -> log.add("same iteration"));
            f.iterate(1);
            assertEquals(1, caught.size());
            assertTrue(caught.get(0) instanceof IllegalStateException, String.valueOf(caught.get(0)));
            assertFalse(f.loop.isClosed());
            assertFalse(f.poller.closed);
            assertEquals(List.of("same iteration"), log);
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(2)));
            assertEquals(List.of("same iteration", "timer"), log);
        }
    }

    // ------------------------------------------------------------------ A.13 (fake side)

    @Test
    void closeReleasesThePoller() {
        FakeLoop f = new FakeLoop();
        assertFalse(f.poller.closed);
        f.close();
        assertTrue(f.poller.closed);
    }

    @Test
    void currentIsTheRunningLoopAndNeverAClosedOne() {
        FakeLoop f = new FakeLoop();
        List<EventLoop> seen = new ArrayList<>();
        f.loop.callSoon(() -> seen.add(EventLoop.current()));
        f.iterate(1);
        assertEquals(List.of(f.loop), seen);
        assertSame(f.loop, EventLoop.current());
        f.close();
        assertThrows(IllegalStateException.class, EventLoop::current);
    }

    // ------------------------------------------------------------------ A.14 run(main)

    @Test
    @Timeout(30)
    void runCancelsAndAwaitsLeftoverTasksReportsTheirErrorsShutsDownTheExecutorAndCloses() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<ErrorContext> errors = new ArrayList<>();
        AtomicReference<EventLoop> loopRef = new AtomicReference<>();
        RuntimeException brokenCleanup = new IllegalStateException("cleanup failed while cancelling");

        String out = EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            loopRef.set(loop);
            loop.setExceptionHandler((l, c) -> {
                errors.add(c);
                log.add("reported; executor shut down: " + l.defaultExecutor.ifCreated().isShutdown()
                        + ", closed: " + l.isClosed());
            });
            loop.createTask("hanging", () -> Async.sleep(Duration.ofHours(1))
                    .ensure(() -> Async.sleep(Duration.ofMillis(5)).map(v -> log.add("hanging cleaned up; executor shut down: "
                            + loop.defaultExecutor.ifCreated().isShutdown()))));
            loop.createTask("failing", () -> Async.sleep(Duration.ofHours(1))
                    .recover(CancellationException.class, e -> {
                        log.add("failing cancelled");
                        return Async.<Void>failed(brokenCleanup);
                    }));
            return loop.runInExecutor(null, () -> 42)
                    .then(v -> Async.sleep(Duration.ofMillis(10), "main " + v));
        });

        assertEquals("main 42", out);
        EventLoop loop = loopRef.get();
        assertTrue(loop.isClosed());
        ExecutorService executor = loop.defaultExecutor.ifCreated();
        assertTrue(executor.isShutdown());
        assertTrue(executor.isTerminated(), "run must wait for the default executor to finish");

        assertEquals(1, errors.size(), "only the failure during cancellation is reported: " + errors);
        assertSame(brokenCleanup, errors.get(0).exception());
        assertEquals("failing", errors.get(0).task().name());
        assertEquals(3, log.size(), log::toString);
        assertTrue(log.subList(0, 2).contains("failing cancelled"), log::toString);
        assertTrue(log.subList(0, 2).contains("hanging cleaned up; executor shut down: false"), log::toString);
        assertEquals("reported; executor shut down: false, closed: false", log.get(2));
    }

    @Test
    @Timeout(30)
    void runReturnsMainsValueOrThrowsItsFailure() {
        assertEquals("v", EventLoop.run(() -> Async.sleep(Duration.ofMillis(1), "v")));

        IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
        assertSame(unchecked, assertThrows(IllegalArgumentException.class,
                () -> EventLoop.run(() -> Async.yieldNow().map(v -> {
                    throw unchecked;
                }))));

        IOException checked = new IOException("checked");
        CompletionException wrapped = assertThrows(CompletionException.class,
                () -> EventLoop.run(() -> Async.yieldNow().map(v -> {
                    throw checked;
                })));
        assertSame(checked, wrapped.getCause());

        assertThrows(CancellationException.class, () -> EventLoop.run(() -> {
            Future<String> f = EventLoop.current().createFuture();
            EventLoop.current().callSoon(f::cancel);
            return f;
        }));
        assertEquals("main", assertThrows(NullPointerException.class, () -> EventLoop.run(null)).getMessage());
    }

    // ------------------------------------------------------------------ A.15 pending at close

    @Test
    void aTaskStillPendingAtCloseIsReportedAndAFinishedOneIsNot() {
        FakeLoop f = new FakeLoop();
        f.loop.createTask("finishes", () -> Async.completed("ok"));
        f.loop.createTask("forgotten", () -> Async.sleep(Duration.ofHours(1)));
        System.gc(); // nothing but the loop references the forgotten task
        f.iterate(3);
        assertEquals(1, f.loop.allTasks().size());
        assertEquals("forgotten", f.loop.allTasks().get(0).name());
        f.loop.close();
        assertEquals(1, f.errors.size(), f.errors::toString);
        ErrorContext c = f.errors.get(0);
        assertEquals("Task was destroyed but it is pending", c.message());
        assertEquals("forgotten", c.task().name());
    }

    @Test
    void theLoopHoldsFireAndForgetTasksUntilTheyFinish() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                f.loop.createTask(() -> Async.sleep(Duration.ofMillis(10 + n)).map(v -> log.add("task " + n)));
            }
            assertEquals(100, f.loop.allTasks().size());
            System.gc();
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(1)));
            assertEquals(100, log.size());
            assertEquals(0, f.loop.allTasks().size());
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void nullArgumentsAreRejectedByName() {
        try (FakeLoop f = new FakeLoop()) {
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> f.loop.callSoon(null)).getMessage());
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> f.loop.callSoonThreadsafe(null)).getMessage());
            assertEquals("body", assertThrows(NullPointerException.class,
                    () -> f.loop.createTask(null)).getMessage());
            assertEquals("body", assertThrows(NullPointerException.class,
                    () -> f.loop.createTask("name", null)).getMessage());
            assertEquals("work", assertThrows(NullPointerException.class,
                    () -> f.loop.runInExecutor(null, null)).getMessage());
            assertEquals("context", assertThrows(NullPointerException.class,
                    () -> f.loop.callExceptionHandler(null)).getMessage());
            assertEquals(0, f.loop.readyCount());
            assertTrue(f.loop.allTasks().isEmpty());
        }
    }
}
