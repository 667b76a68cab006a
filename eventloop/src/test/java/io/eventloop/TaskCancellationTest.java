package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS D: cancelling tasks, plus the misuse a task refuses (C.30, C.31). */
class TaskCancellationTest {

    /** An Error of our own, so that it cannot be confused with a failing assertion. */
    private static final class Boom extends Error {
        Boom(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ D.32

    @Test
    void cancellingASleepingTaskEndsItCancelledWithoutWaitingForTheSleep() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)).map(v -> {
                log.add("woke up");
                return "slept";
            }));
            f.iterate(1); // the body runs and starts sleeping
            long start = f.clock.nanoTime();

            assertTrue(t.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isDone());
            assertTrue(t.isCancelled());
            assertFalse(t.cancel(), "a second cancel of a done task is refused");
            assertEquals(0, f.elapsedMillis(start), "the 10 s sleep was not waited for");
            assertEquals(List.of(), log);
            assertEquals(List.of(), f.loop.allTasks());
            assertEquals(List.of(), f.errors);
        }
    }

    @Test
    void cancellingATaskBeforeItStartsMeansItsBodyNeverRuns() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> t = f.loop.createTask(() -> {
                log.add("body ran");
                return Async.completed("done");
            });

            assertTrue(t.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
            assertEquals(List.of(), log);
        }
    }

    // ------------------------------------------------------------------ D.33

    @Test
    void cancellingATaskCancelsTheFutureItIsAwaiting() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> waiter = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> waiter.map(v -> v + "!"));
            f.iterate(1);
            assertFalse(waiter.isDone());

            assertTrue(t.cancel());

            assertTrue(waiter.isCancelled(), "the cancel reached the awaited future at once");
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.isCancelled());
        }
    }

    @Test
    void cancellingATaskCancelsTheTimerOfTheSleepItAwaits() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<Future<Void>> sleep = new AtomicReference<>();
            Task<Void> t = f.loop.createTask(() -> {
                sleep.set(Async.sleep(Duration.ofSeconds(10)));
                return sleep.get();
            });
            f.iterate(1);
            assertEquals(1, f.loop.timerCount());

            t.cancel();
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(sleep.get().isCancelled());
            assertEquals(0, f.loop.timerCount(), "the sleep's timer was cancelled and dropped");
            assertTrue(f.poller.timeouts.stream().noneMatch(ms -> ms > 0), "the loop never waited for the timer: " + f.poller.timeouts);
        }
    }

    // ------------------------------------------------------------------ D.34

    @Test
    void cancellingTheInnerFutureMakesTheTaskEndCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> inner.map(v -> "not reached"));
            f.iterate(1);

            assertTrue(inner.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
        }
    }

    @Test
    void cancellingTheInnerFutureThenTheTaskEndsTheTaskCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> inner.map(v -> "not reached"));
            f.iterate(1);

            assertTrue(inner.cancel());
            assertTrue(t.cancel(), "the task is still pending: its cancel is taken");
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
            assertFalse(t.cancel());
        }
    }

    @Test
    void cancellingTheTaskThenTheInnerFutureEndsTheTaskCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> inner.map(v -> "not reached"));
            f.iterate(1);

            assertTrue(t.cancel());
            assertFalse(inner.cancel(), "the task's cancel already cancelled the inner future");
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
            assertTrue(inner.isCancelled());
        }
    }

    // ------------------------------------------------------------------ D.35, D.36

    @Test
    void aTaskThatCatchesTheCancellationAndReturnsAValueCompletesNormally() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .map(v -> "slept")
                    .recover(CancellationException.class, e -> Async.completed("caught")));
            f.iterate(1);

            assertTrue(t.cancel());
            assertEquals("caught", f.loop.runUntilComplete(t));

            assertFalse(t.isCancelled());
            assertEquals("caught", t.result());
        }
    }

    @Test
    void aTaskThatSwallowsTheCancellationKeepsRunningAndIsNotCancelledAgain() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .recover(CancellationException.class, e -> {
                        log.add("cancelled");
                        return Async.sleep(Duration.ofSeconds(1));
                    })
                    .map(v -> {
                        log.add("second sleep done");
                        return "finished";
                    }));
            f.iterate(1);
            long start = f.clock.nanoTime();

            t.cancel();

            assertEquals("finished", f.loop.runUntilComplete(t));
            assertFalse(t.isCancelled());
            assertEquals(List.of("cancelled", "second sleep done"), log);
            assertEquals(1000, f.elapsedMillis(start), "the second sleep ran its full second");
            assertEquals(1, t.cancelling(), "the request stays counted until uncancel()");
        }
    }

    // ------------------------------------------------------------------ D.37

    @Test
    void aTaskThatCancelsItselfGetsCancellationAtItsNextSuspensionPoint() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> t = f.loop.createTask(() -> Async.yieldNow().then(v -> {
                assertTrue(f.loop.currentTask().cancel());
                log.add("still running the step after cancelling itself");
                return Async.sleep(Duration.ofSeconds(100));
            }).map(v -> {
                log.add("not reached");
                return "slept";
            }));
            long start = f.clock.nanoTime();

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
            assertEquals(List.of("still running the step after cancelling itself"), log);
            assertEquals(0, f.elapsedMillis(start), "the sleep it awaited next was cancelled at once");
        }
    }

    @Test
    void aTaskThatCancelsItselfAndReturnsWithoutSuspendingStillEndsCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Integer> t = f.loop.createTask(() -> {
                f.loop.currentTask().cancel();
                return Async.completed(12);
            });

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
        }
    }

    @Test
    void aStepThatCancelsItsTaskAndReturnsAValueEndsTheTaskCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Integer> t = f.loop.createTask(() -> Async.yieldNow().map(v -> {
                f.loop.currentTask().cancel();
                return 12;
            }));

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
        }
    }

    // ------------------------------------------------------------------ D.38

    @Test
    void cancellingARunnableTaskCancelsTheNestedTaskItAwaitsNextAndThatTasksFuture() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> fut = f.loop.createFuture();
            AtomicReference<Task<String>> nested = new AtomicReference<>();
            AtomicReference<Task<String>> outer = new AtomicReference<>();
            outer.set(f.loop.createTask(() -> {
                nested.set(f.loop.createTask(() -> fut));
                return Async.yieldNow().then(v -> {
                    outer.get().cancel(); // runnable, not blocked: nothing to pass the cancel to yet
                    return nested.get();
                });
            }));

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer.get()));

            assertTrue(outer.get().isCancelled());
            assertTrue(nested.get().isCancelled());
            assertTrue(fut.isCancelled());
        }
    }

    @Test
    void cancellingATaskWhoseAwaitedFutureIsDoneButNotYetSeenSkipsItsNextStep() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> gate = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> gate.map(v -> {
                log.add("step after the gate ran with " + v);
                return v;
            }));
            f.iterate(1);

            gate.complete("open"); // the step is now runnable, not yet run
            assertTrue(t.cancel());

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.isCancelled());
            assertEquals(List.of(), log, "the step saw the cancellation instead of the value");
            assertEquals("open", gate.result(), "what was awaited keeps its outcome");
        }
    }

    @Test
    void aRunnableTaskThatCatchesTheCancellationSeesItInsteadOfTheValue() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> gate = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> gate
                    .recover(CancellationException.class, e -> Async.completed("caught")));
            f.iterate(1);

            gate.complete("open");
            t.cancel();

            assertEquals("caught", f.loop.runUntilComplete(t));
            assertFalse(t.isCancelled());
        }
    }

    // ------------------------------------------------------------------ D.39

    @Test
    void theCancelMessageReachesTheAwaitersCancellationException() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)).map(v -> "slept"));
            Task<String> awaiter = f.loop.createTask(() -> t
                    .recover(CancellationException.class, e -> Async.completed("awaiter saw: " + e.getMessage())));
            f.iterate(1);

            t.cancel("shutting down");

            assertEquals("awaiter saw: shutting down", f.loop.runUntilComplete(awaiter));
            assertEquals("shutting down", assertThrows(CancellationException.class, t::result).getMessage());
            assertEquals("shutting down", assertThrows(CancellationException.class, t::exception).getMessage());
        }
    }

    @Test
    void cancellingCountsCancelRequestsAndUncancelWithdrawsThem() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)));
            f.iterate(1);
            assertEquals(0, t.cancelling());

            assertTrue(t.cancel());
            assertTrue(t.cancel(), "a second request on a pending task is taken too");
            assertEquals(2, t.cancelling());
            assertEquals(1, t.uncancel());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.uncancel(), "never below zero");

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.isCancelled(), "uncancel does not undo a cancellation already delivered");
        }
    }

    @Test
    void aTaskThatUncancelsAfterSwallowingACancelCanStillBeCancelledLater() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .recover(CancellationException.class, e -> {
                        log.add("first cancel swallowed, cancelling=" + f.loop.currentTask().cancelling());
                        f.loop.currentTask().uncancel();
                        return Async.sleep(Duration.ofSeconds(10));
                    })
                    .map(v -> "not reached"));
            f.iterate(1);
            long start = f.clock.nanoTime();
            t.cancel();
            f.iterate(3);
            assertFalse(t.isDone());
            assertEquals(0, t.cancelling());

            f.loop.callLater(Duration.ofSeconds(2), t::cancel);
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
            assertEquals(1, t.cancelling());
            assertEquals(List.of("first cancel swallowed, cancelling=1"), log);
            assertEquals(2000, f.elapsedMillis(start));
        }
    }

    // ------------------------------------------------------------------ D.40 (without sockets)

    @Test
    void cancellingATaskWaitingOnANeverCompletedFutureEndsItWithinOneIteration() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> never = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> never);
            f.iterate(1);
            assertFalse(t.isDone());

            t.cancel();
            f.iterate(1);

            assertTrue(t.isCancelled());
            assertTrue(never.isCancelled());
        }
    }

    @Test
    void cancellingATaskWaitingOnANeverCompletedFutureNeedsNoTimerAndNoWakeup() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> never = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> never.map(v -> v).then(v -> Async.completed(v)));
            f.loop.callSoon(() -> f.loop.callSoon(t::cancel));

            // The fake poller fails if the loop would block with nothing to do.
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isCancelled());
            assertTrue(f.poller.timeouts.stream().allMatch(ms -> ms == 0), f.poller.timeouts::toString);
        }
    }

    // ------------------------------------------------------------------ D.41

    @Test
    void anErrorThrownWhileHandlingCancellationEndsTheTaskWithItAndLeavesTheRun() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .map(v -> "slept")
                    .recover(CancellationException.class, e -> {
                        throw new Boom("while cancelling");
                    }));
            f.iterate(1);
            t.cancel();

            Boom escaped = assertThrows(Boom.class, () -> f.loop.runUntilComplete(t));
            assertEquals("while cancelling", escaped.getMessage());

            // The loop is left consistent: running it again lets the task take the outcome.
            Boom outcome = assertThrows(Boom.class, () -> f.loop.runUntilComplete(t));
            assertSame(escaped, outcome);
            assertTrue(t.isDone());
            assertFalse(t.isCancelled());
            assertSame(escaped, t.exception());
        }
    }

    @Test
    void anErrorThrownByABodyAfterItsCancelEndsTheTaskWithIt() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> {
                f.loop.currentTask().cancel();
                throw new Boom("in the body");
            });

            Boom escaped = assertThrows(Boom.class, () -> f.loop.runUntilComplete(t));

            assertTrue(t.isDone());
            assertFalse(t.isCancelled());
            assertSame(escaped, t.exception());
        }
    }

    // ------------------------------------------------------------------ D.42

    @Test
    void currentTaskIsTheRunningTaskInEveryStepOfInterleavedTasks() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            AtomicReference<Task<Void>> a = new AtomicReference<>();
            AtomicReference<Task<Void>> b = new AtomicReference<>();
            a.set(f.loop.createTask("a", () -> steps(f, log, a, 1)));
            b.set(f.loop.createTask("b", () -> steps(f, log, b, 2)));
            assertNull(f.loop.currentTask(), "outside any task");

            f.loop.runUntilComplete(Async.gather(a.get(), b.get()));

            assertEquals(8, log.size(), log::toString);
            assertEquals(List.of("a:body", "a:1", "a:2", "a:3"), log.stream().filter(e -> e.startsWith("a")).toList());
            assertEquals(List.of("b:body", "b:1", "b:2", "b:3"), log.stream().filter(e -> e.startsWith("b")).toList());
            assertTrue(log.indexOf("b:body") < log.indexOf("a:1") && log.indexOf("a:1") < log.indexOf("b:1"),
                    "the two tasks interleave: " + log);
            assertNull(f.loop.currentTask());
        }
    }

    private static Future<Void> steps(FakeLoop f, List<String> log, AtomicReference<Task<Void>> self, int seconds) {
        String name = self.get().name();
        check(f, self, log, name + ":body");
        return Async.sleep(Duration.ofSeconds(seconds))
                .then(v -> {
                    check(f, self, log, name + ":1");
                    return Async.sleep(Duration.ofSeconds(seconds));
                })
                .map(v -> {
                    check(f, self, log, name + ":2");
                    return v;
                })
                .ensure(() -> check(f, self, log, name + ":3"));
    }

    private static void check(FakeLoop f, AtomicReference<? extends Task<?>> self, List<String> log, String entry) {
        assertSame(self.get(), f.loop.currentTask(), entry);
        log.add(entry);
    }

    @Test
    void currentTaskIsNullInPlainCallbacks() {
        try (FakeLoop f = new FakeLoop()) {
            List<Object> seen = new ArrayList<>();
            Task<Void> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(1)));
            f.loop.callSoon(() -> seen.add(String.valueOf(f.loop.currentTask())));
            f.loop.callLater(Duration.ofMillis(500), () -> seen.add(String.valueOf(f.loop.currentTask())));
            t.onDone(done -> seen.add(String.valueOf(f.loop.currentTask())));

            f.loop.runUntilComplete(t);
            f.iterate(1);

            assertEquals(List.of("null", "null", "null"), seen);
        }
    }

    // ------------------------------------------------------------------ C.30, C.31: misuse

    @Test
    void completeAndFailOnATaskThrowIllegalState() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(1), "slept"));

            assertThrowsExactly(IllegalStateException.class, () -> t.complete("forced"));
            assertThrowsExactly(IllegalStateException.class, () -> t.fail(new RuntimeException("forced")));

            assertEquals("slept", f.loop.runUntilComplete(t), "the body's outcome still decides");
            assertThrowsExactly(IllegalStateException.class, () -> t.complete("after"));
        }
    }

    @Test
    void aTaskAwaitingItselfFailsWithIllegalState() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<Task<String>> self = new AtomicReference<>();
            self.set(f.loop.createTask(self::get));

            assertThrowsExactly(IllegalStateException.class, () -> f.loop.runUntilComplete(self.get()));

            assertEquals(IllegalStateException.class, self.get().exception().getClass());
        }
    }

    @Test
    void cancellingOneOfTwoTasksThatAwaitEachOtherEndsBothCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Task<String>> other = f.loop.createFuture();
            Task<String> a = f.loop.createTask("a", () -> other.then(b -> b));
            Task<String> b = f.loop.createTask("b", () -> a);
            other.complete(b);
            f.iterate(3); // a awaits b, b awaits a: a deadlock

            assertTrue(a.cancel("stop"));

            f.iterate(3);
            assertTrue(a.isCancelled());
            assertTrue(b.isCancelled());
            assertEquals(1, a.cancelling(), "a was asked once");
            assertEquals(1, b.cancelling(), "b was asked once, when the cancel went down the chain");
            assertEquals(List.of(), f.loop.allTasks());
        }
    }

    @Test
    void aCycleReachedThroughAnotherTaskGetsTheCancelAtTheAwaitThatClosesIt() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<Task<String>> later = f.loop.createFuture();
            Task<String> b = f.loop.createTask("b", () -> later.then(c -> c).exceptionally(CancellationException.class, e -> {
                log.add("b: " + e.getMessage());
                return "b caught it";
            }));
            Task<String> c = f.loop.createTask("c", () -> b.map(v -> "c saw " + v));
            Task<String> outer = f.loop.createTask("outer", () -> b);
            later.complete(c);
            f.iterate(3); // outer -> b -> c -> b: the cycle b, c is entered through outer

            assertTrue(outer.cancel("deadlock"));

            f.iterate(5);
            assertTrue(c.isCancelled(), "c's await of b closes the cycle: the cancel lands there");
            assertEquals(List.of("b: deadlock"), log, "b saw c end cancelled");
            assertEquals("b caught it", b.result());
            assertEquals("b caught it", outer.result(), "as in asyncio: what outer awaited swallowed the cancel");
            assertEquals(List.of(), f.errors);
        }
    }

    @Test
    void cancellingALongCycleOfTasksTellsEachOnceAndEndsThemAll() {
        try (FakeLoop f = new FakeLoop()) {
            int n = 1000;
            List<Future<Task<String>>> next = new ArrayList<>();
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Future<Task<String>> slot = f.loop.createFuture();
                next.add(slot);
                tasks.add(f.loop.createTask("t" + i, () -> slot.then(t -> t)));
            }
            for (int i = 0; i < n; i++) {
                next.get(i).complete(tasks.get((i + 1) % n));
            }
            f.iterate(3);

            assertTrue(tasks.get(0).cancel());

            f.iterate(n + 2);
            for (Task<String> t : tasks) {
                assertTrue(t.isCancelled(), t.toString());
                assertEquals(1, t.cancelling(), t.toString());
            }
        }
    }

    @Test
    void aTaskAwaitingAFutureOfAnotherLoopFailsWithIllegalState() {
        try (FakeLoop other = new FakeLoop(); FakeLoop f = new FakeLoop()) {
            Future<String> foreign = other.loop.createFuture();
            Task<String> direct = f.loop.createTask(() -> foreign);
            Task<String> viaThen = f.loop.createTask(() -> Async.yieldNow().then(v -> foreign));

            f.loop.runUntilComplete(Async.gatherSettled(direct, viaThen));

            assertEquals(IllegalStateException.class, direct.exception().getClass());
            assertEquals(IllegalStateException.class, viaThen.exception().getClass());
            assertFalse(foreign.isDone());
        }
    }

    @Test
    void aTaskNeedsABody() {
        try (FakeLoop f = new FakeLoop()) {
            assertThrows(NullPointerException.class, () -> f.loop.createTask(null));
            assertThrows(NullPointerException.class, () -> f.loop.createTask("named", null));
        }
    }

    @Test
    void aBodyReturningNullFailsTheTaskWithNullPointer() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> t = f.loop.createTask(() -> null);

            assertThrows(NullPointerException.class, () -> f.loop.runUntilComplete(t));
        }
    }
}
