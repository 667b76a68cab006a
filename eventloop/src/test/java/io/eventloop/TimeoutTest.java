package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS F: waitFor and timeout scopes, and deadline inheritance. */
class TimeoutTest {
    private static final Duration MS_100 = Duration.ofMillis(100);

    private static Throwable failureOf(FakeLoop f, Future<?> future) {
        f.loop.runUntilComplete(Async.gatherSettled(List.of(future)));
        return future.exception();
    }

    private static long ms(long n) {
        return n * 1_000_000L;
    }

    // ------------------------------------------------------------------ waitFor (F.54-60)

    @Test
    void waitForTimeoutWaitsUntilTheCancelledInnerHasFinished() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            long start = f.clock.nanoTime();
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late")
                    .ensure(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> log.add("cleanup done"))));
            Future<String> w = Async.waitFor(inner, MS_100);
            w.onDone(x -> log.add("waitFor done"));
            Throwable e = failureOf(f, w);
            assertInstanceOf(TimeoutException.class, e);
            assertInstanceOf(CancellationException.class, e.getCause());
            assertEquals(List.of("cleanup done", "waitFor done"), log);
            assertEquals(1100, f.elapsedMillis(start));
            assertTrue(inner.isCancelled());
        }
    }

    @Test
    void waitForReturnsTheValueOfAnInnerThatSuppressesTheCancel() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late")
                    .recover(CancellationException.class, e -> Async.completed("suppressed")));
            assertEquals("suppressed", f.loop.runUntilComplete(Async.waitFor(inner, MS_100)));
        }
    }

    @Test
    void waitForPropagatesADifferentExceptionRaisedWhileCancelling() {
        try (FakeLoop f = new FakeLoop()) {
            IOException boom = new IOException("while cancelling");
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late")
                    .recover(CancellationException.class, e -> Async.failed(boom)));
            assertSame(boom, failureOf(f, Async.waitFor(inner, MS_100)));
        }
    }

    @Test
    void waitForReturnsAnEarlyResultAndCancelsItsTimer() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            f.loop.callLater(MS_100, () -> inner.complete("ok"));
            int timersBefore = f.loop.timerCount();
            Future<String> w = Async.waitFor(inner, Duration.ofMillis(200));
            assertEquals(timersBefore + 1, f.loop.timerCount());
            long start = f.clock.nanoTime();
            assertEquals("ok", f.loop.runUntilComplete(w));
            assertEquals(100, f.elapsedMillis(start));
            f.iterate(1);
            assertEquals(0, f.loop.timerCount(), "the waitFor timer is cancelled and purged");
        }
    }

    @Test
    void waitForOfALongTaskTimesOutAtTheDeadlineAndLeavesItCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)));
            long start = f.clock.nanoTime();
            assertInstanceOf(TimeoutException.class, failureOf(f, Async.waitFor(inner, MS_100)));
            assertEquals(100, f.elapsedMillis(start));
            assertTrue(inner.isCancelled());
        }
    }

    @Test
    void waitForWithZeroTimeoutReturnsTheResultOfADoneFuture() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> done = f.loop.createFuture();
            done.complete("ready");
            assertEquals("ready", f.loop.runUntilComplete(Async.waitFor(done, Duration.ZERO)));
        }
    }

    @Test
    void waitForWithZeroTimeoutNeverStartsAnUnstartedTask() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicBoolean started = new AtomicBoolean();
            Task<String> inner = f.loop.createTask(() -> {
                started.set(true);
                return Async.completed("ran");
            });
            long start = f.clock.nanoTime();
            assertInstanceOf(TimeoutException.class, failureOf(f, Async.waitFor(inner, Duration.ofMillis(-5))));
            assertFalse(started.get());
            assertTrue(inner.isCancelled());
            assertEquals(0, f.elapsedMillis(start));
        }
    }

    @Test
    void waitForWithZeroTimeoutCancelsARunningTask() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)));
            f.iterate(1);
            assertInstanceOf(TimeoutException.class, failureOf(f, Async.waitFor(inner, Duration.ZERO)));
            assertTrue(inner.isCancelled());
        }
    }

    @Test
    void cancellingTheTaskAwaitingWaitForCancelsTheInnerTask() {
        try (FakeLoop f = new FakeLoop()) {
            for (Duration timeout : new Duration[] {null, Duration.ofSeconds(5)}) {
                Task<Void> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)));
                Task<Void> outer = f.loop.createTask(() -> Async.waitFor(inner, timeout));
                f.loop.callLater(MS_100, outer::cancel);
                assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));
                assertTrue(inner.isCancelled(), "timeout " + timeout);
            }
        }
    }

    @Test
    void waitForStaysCancellableWhileTheInnerHoldsUpTheFirstCancel() {
        try (FakeLoop f = new FakeLoop()) {
            Duration d300 = Duration.ofMillis(300);
            Task<Integer> inner = f.loop.createTask(() -> Async.sleep(d300, 42)
                    .recover(CancellationException.class, e -> Async.sleep(d300, 42)
                            .recover(CancellationException.class, e2 -> Async.sleep(d300, 42))));
            Task<Integer> outer = f.loop.createTask(() -> Async.waitFor(inner, MS_100));
            f.loop.callLater(Duration.ofMillis(200), outer::cancel);
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));
            assertTrue(outer.isCancelled());
            assertEquals(42, f.loop.runUntilComplete(inner));
        }
    }

    @Test
    void outerCancelRacingTheInnersCompletionIsNotSwallowed() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            Task<String> outer = f.loop.createTask(() -> Async.waitFor(inner, Duration.ofSeconds(10)));
            f.iterate(1);
            inner.complete("done");
            outer.cancel();
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));
            assertTrue(outer.isCancelled());
        }
    }

    // ------------------------------------------------------------------ timeout scopes (F.61-66)

    @Test
    void scopeTurnsItsOwnCancelIntoTimeoutAtItsBoundaryAndLeavesTheTaskUncancelled() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Timeout[] scope = new Timeout[1];
            Task<String> task = f.loop.createTask(() -> {
                scope[0] = Timeout.after(MS_100);
                return scope[0].run(() -> Async.sleep(Duration.ofSeconds(10))
                                .recover(CancellationException.class, e -> {
                                    log.add("body saw " + e.getClass().getSimpleName());
                                    return Async.failed(e);
                                }))
                        .map(v -> "not reached")
                        .recover(TimeoutException.class, e -> {
                            log.add("scope threw TimeoutException caused by " + e.getCause().getClass().getSimpleName());
                            return Async.sleep(Duration.ofSeconds(1), "went on");
                        });
            });
            long start = f.clock.nanoTime();
            assertEquals("went on", f.loop.runUntilComplete(task));
            assertEquals(List.of("body saw CancellationException",
                    "scope threw TimeoutException caused by CancellationException"), log);
            assertEquals(1100, f.elapsedMillis(start));
            assertTrue(scope[0].expired());
            assertFalse(task.isCancelled());
            assertEquals(0, task.cancelling());
        }
    }

    @Test
    void asyncTimeoutFailsWithTimeoutExceptionAtTheDeadline() {
        try (FakeLoop f = new FakeLoop()) {
            long start = f.clock.nanoTime();
            Future<Void> t = Async.timeout(MS_100, () -> Async.sleep(Duration.ofSeconds(10)));
            assertInstanceOf(TimeoutException.class, failureOf(f, t));
            assertEquals(100, f.elapsedMillis(start));
        }
    }

    @Test
    void scopeReturnsTheBodysValueBeforeTheDeadlineAndCancelsItsTimer() {
        try (FakeLoop f = new FakeLoop()) {
            Timeout t = Timeout.after(Duration.ofSeconds(1));
            assertEquals("fast", f.loop.runUntilComplete(t.run(() -> Async.sleep(MS_100, "fast"))));
            assertFalse(t.expired());
            f.iterate(1);
            assertEquals(0, f.loop.timerCount());
        }
    }

    @Test
    void nestedScopesSharingADeadlineOnlyTheOutermostThrowsTimeout() {
        try (FakeLoop f = new FakeLoop()) {
            long deadline = f.loop.time() + ms(10);
            Timeout outer = Timeout.at(deadline);
            Timeout[] inner = new Timeout[1];
            AtomicBoolean innerSawCancel = new AtomicBoolean();
            AtomicReference<Future<Void>> innerFuture = new AtomicReference<>();
            Future<Void> r = outer.run(() -> {
                inner[0] = Timeout.at(deadline);
                innerFuture.set(inner[0].run(() -> Async.sleep(Duration.ofSeconds(10))));
                return innerFuture.get().recover(CancellationException.class, e -> {
                    innerSawCancel.set(true);
                    return Async.failed(e);
                });
            });
            assertInstanceOf(TimeoutException.class, failureOf(f, r));
            assertTrue(innerSawCancel.get());
            assertTrue(innerFuture.get().isCancelled(), "the inner scope ends cancelled, not timed out");
            assertTrue(outer.expired());
            assertTrue(inner[0].expired());
        }
    }

    @Test
    void foreignCancelInsideAnUnexpiredScopeStaysACancellation() {
        try (FakeLoop f = new FakeLoop()) {
            Timeout[] t = new Timeout[1];
            Task<Void> task = f.loop.createTask(() -> {
                t[0] = Timeout.after(Duration.ofSeconds(10));
                return t[0].run(() -> Async.sleep(Duration.ofSeconds(20)));
            });
            f.loop.callLater(Duration.ofSeconds(1), () -> task.cancel("stop"));
            CancellationException e = assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(task));
            assertEquals("stop", e.getMessage());
            assertFalse(t[0].expired());
            assertTrue(task.isCancelled());
        }
    }

    @Test
    void zeroTimeoutThrowsEvenIfTheBodyOnlyYields() {
        try (FakeLoop f = new FakeLoop()) {
            assertInstanceOf(TimeoutException.class, failureOf(f, Async.timeout(Duration.ZERO, Async::yieldNow)));
            long past = f.loop.time() - ms(5);
            assertInstanceOf(TimeoutException.class, failureOf(f, Async.timeoutAt(past, Async::yieldNow)));
        }
    }

    @Test
    void zeroTimeoutLetsABodyThatNeverWaitsReturnItsValue() {
        try (FakeLoop f = new FakeLoop()) {
            assertEquals("now", f.loop.runUntilComplete(Async.timeout(Duration.ZERO, () -> Async.completed("now"))));
        }
    }

    @Test
    void bodyExceptionsPassThroughTheScopeUnchanged() {
        try (FakeLoop f = new FakeLoop()) {
            IOException boom = new IOException("boom");
            assertSame(boom, failureOf(f, Async.timeout(Duration.ofSeconds(1),
                    () -> Async.sleep(MS_100).then(v -> Async.failed(boom)))));
            IllegalStateException thrown = new IllegalStateException("thrown by the supplier");
            assertSame(thrown, failureOf(f, Async.timeout(Duration.ofSeconds(1), () -> {
                throw thrown;
            })));
        }
    }

    @Test
    void anExceptionFromCleanupDuringTheTimeoutWins() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException cleanup = new IllegalStateException("cleanup failed");
            Future<Void> r = Async.timeout(MS_100, () -> Async.sleep(Duration.ofSeconds(10)).ensure(() -> {
                throw cleanup;
            }));
            assertSame(cleanup, failureOf(f, r));
        }
    }

    @Test
    void innerScopeExpiresWhenTheLoopWasBusyAndTheOuterStillFiresOnTheNextAwait() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            long start = f.clock.nanoTime();
            Future<Void> r = Async.timeout(MS_100, () -> Async.timeout(Duration.ofMillis(10), () -> {
                f.clock.advanceMillis(10); // crunching numbers: the loop is blocked past the inner deadline
                return Async.sleep(Duration.ofSeconds(1));
            }).recover(TimeoutException.class, e -> {
                log.add("inner timed out");
                return Async.sleep(Duration.ofSeconds(10)); // interrupted by the outer scope
            }));
            assertInstanceOf(TimeoutException.class, failureOf(f, r));
            assertEquals(List.of("inner timed out"), log);
            assertEquals(100, f.elapsedMillis(start));
        }
    }

    @Test
    void whenTheLoopWasBusyPastBothDeadlinesTheInnerEndsCancelledAndTheOuterTimesOut() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<Future<Void>> inner = new AtomicReference<>();
            Future<Void> r = Async.timeout(MS_100, () -> {
                inner.set(Async.timeout(Duration.ofMillis(10), () -> {
                    f.clock.advanceMillis(200);
                    return Async.sleep(Duration.ofSeconds(1));
                }));
                return inner.get();
            });
            assertInstanceOf(TimeoutException.class, failureOf(f, r));
            assertTrue(inner.get().isCancelled(), "as in asyncio, the pending outer cancel wins inside");
        }
    }

    @Test
    void activeScopeCanBeRescheduled() {
        try (FakeLoop f = new FakeLoop()) {
            Timeout t = Timeout.after(MS_100);
            long start = f.clock.nanoTime();
            Future<String> r = t.run(() -> {
                t.rescheduleAfter(Duration.ofSeconds(1));
                return Async.sleep(Duration.ofMillis(500), "in time");
            });
            assertEquals("in time", f.loop.runUntilComplete(r));
            assertFalse(t.expired());
            assertEquals(start + ms(1000), t.when().getAsLong());

            Timeout shorter = Timeout.after(Duration.ofSeconds(10));
            long start2 = f.clock.nanoTime();
            Future<Void> r2 = shorter.run(() -> Async.sleep(MS_100).then(v -> {
                shorter.reschedule(f.loop.time() + ms(50));
                return Async.sleep(Duration.ofSeconds(5));
            }));
            assertInstanceOf(TimeoutException.class, failureOf(f, r2));
            assertEquals(150, f.elapsedMillis(start2));
            assertTrue(shorter.expired());
        }
    }

    @Test
    void rescheduleNullDisablesTheScope() {
        try (FakeLoop f = new FakeLoop()) {
            Timeout t = Timeout.after(MS_100);
            Future<String> r = t.run(() -> {
                t.reschedule(null);
                return Async.sleep(Duration.ofSeconds(10), "no deadline");
            });
            assertEquals("no deadline", f.loop.runUntilComplete(r));
            assertFalse(t.expired());
            assertTrue(t.when().isEmpty());
        }
    }

    @Test
    void reenteringOrReschedulingAnExitedOrUnenteredScopeThrows() {
        try (FakeLoop f = new FakeLoop()) {
            Timeout t = Timeout.after(Duration.ofSeconds(1));
            assertThrows(IllegalStateException.class, () -> t.reschedule(0L), "not entered yet");
            f.loop.runUntilComplete(t.run(Async::yieldNow));
            assertThrows(IllegalStateException.class, () -> t.run(Async::yieldNow), "entered twice");
            assertThrows(IllegalStateException.class, () -> t.reschedule(null), "after exit");
            assertThrows(IllegalStateException.class, () -> t.rescheduleAfter(MS_100), "after exit");

            Timeout expiring = Timeout.after(Duration.ZERO);
            Future<Void> r = expiring.run(() -> Async.sleep(Duration.ofSeconds(1)).recover(CancellationException.class,
                    e -> {
                        assertThrows(IllegalStateException.class, () -> expiring.reschedule(null), "expiring");
                        return Async.failed(e);
                    }));
            assertInstanceOf(TimeoutException.class, failureOf(f, r));
        }
    }

    @Test
    void scopeWithNoDeadlineNeverExpires() {
        try (FakeLoop f = new FakeLoop()) {
            Timeout t = Timeout.after(null);
            assertEquals("done", f.loop.runUntilComplete(t.run(() -> Async.sleep(Duration.ofDays(1), "done"))));
            assertFalse(t.expired());
        }
    }

    // ------------------------------------------------------------------ deadline inheritance

    @Test
    void noDeadlineOutsideAnyScope() {
        try (FakeLoop f = new FakeLoop()) {
            assertEquals(OptionalLong.empty(), Timeout.currentDeadline());
            Task<OptionalLong> t = f.loop.createTask(() -> Async.yieldNow().map(v -> Timeout.currentDeadline()));
            assertEquals(OptionalLong.empty(), f.loop.runUntilComplete(t));
        }
    }

    @Test
    void continuationsInsideAScopeSeeItsDeadlineAndCodeAfterItDoesNot() {
        try (FakeLoop f = new FakeLoop()) {
            long deadline = f.loop.time() + ms(5000);
            List<OptionalLong> seen = new ArrayList<>();
            Future<OptionalLong> after = Async.timeout(Duration.ofSeconds(5), () -> {
                seen.add(Timeout.currentDeadline());
                return Async.sleep(MS_100).then(v -> {
                    seen.add(Timeout.currentDeadline());
                    return Async.sleep(MS_100);
                }).map(v -> {
                    seen.add(Timeout.currentDeadline());
                    return null;
                });
            }).map(v -> Timeout.currentDeadline());
            assertEquals(OptionalLong.empty(), f.loop.runUntilComplete(after));
            assertEquals(List.of(OptionalLong.of(deadline), OptionalLong.of(deadline), OptionalLong.of(deadline)), seen);
        }
    }

    @Test
    void nestedScopesExposeTheEarliestDeadline() {
        try (FakeLoop f = new FakeLoop()) {
            long outer = f.loop.time() + ms(1000);
            long inner = f.loop.time() + ms(300);
            Future<long[]> r = Async.timeout(Duration.ofSeconds(1), () ->
                    Async.timeout(Duration.ofSeconds(10), () -> Async.yieldNow().map(v -> Timeout.currentDeadline().getAsLong()))
                            .then(a -> Async.timeout(Duration.ofMillis(300), () -> Async.yieldNow()
                                    .map(v -> new long[] {a, Timeout.currentDeadline().getAsLong()}))));
            long[] seen = f.loop.runUntilComplete(r);
            assertEquals(outer, seen[0], "the enclosing 1 s scope is earlier than the inner 10 s one");
            assertEquals(inner, seen[1]);
        }
    }

    @Test
    void tasksStartedInsideAScopeInheritItsDeadlineAndKeepIt() {
        try (FakeLoop f = new FakeLoop()) {
            long deadline = f.loop.time() + ms(2000);
            List<Task<OptionalLong>> detached = new ArrayList<>();
            Future<Void> scope = Async.timeout(Duration.ofSeconds(2), () -> Async.yieldNow().map(v -> {
                detached.add(f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(1)).map(x -> Timeout.currentDeadline())));
                return null;
            }));
            f.loop.runUntilComplete(scope);
            assertEquals(OptionalLong.of(deadline), f.loop.runUntilComplete(detached.get(0)),
                    "read after the scope exited: the budget stays with the work started under it");
        }
    }

    @Test
    void aRescheduledDeadlineIsWhatChildrenSee() {
        try (FakeLoop f = new FakeLoop()) {
            Timeout t = Timeout.after(Duration.ofSeconds(1));
            long later = f.loop.time() + ms(5000);
            Future<OptionalLong> r = t.run(() -> {
                Task<OptionalLong> child = f.loop.createTask(() -> Async.sleep(MS_100).map(v -> Timeout.currentDeadline()));
                t.reschedule(later);
                return child;
            });
            assertEquals(OptionalLong.of(later), f.loop.runUntilComplete(r));
        }
    }

    @Test
    void inheritedScopeStopsADetachedTaskWhenTheRequestBudgetRunsOut() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<String>> background = new ArrayList<>();
            long start = f.clock.nanoTime();
            Future<String> request = Async.timeout(Duration.ofMillis(300), () -> {
                background.add(f.loop.createTask(() -> Timeout.inherited()
                        .run(() -> Async.sleep(Duration.ofSeconds(10), "finished"))));
                return Async.completed("replied");
            });
            assertEquals("replied", f.loop.runUntilComplete(request));
            assertInstanceOf(TimeoutException.class, failureOf(f, background.get(0)));
            assertEquals(300, f.elapsedMillis(start));
        }
    }

    @Test
    void taskGroupChildrenRunUnderTheGroupsDeadline() {
        try (FakeLoop f = new FakeLoop()) {
            long deadline = f.loop.time() + ms(2000);
            List<OptionalLong> seen = new ArrayList<>();
            OptionalLong[] groupDeadline = new OptionalLong[1];
            Future<Void> r = Async.timeout(Duration.ofSeconds(2), () -> TaskGroup.run(g -> {
                groupDeadline[0] = g.deadline();
                g.spawn(() -> Async.yieldNow().map(v -> {
                    seen.add(Timeout.currentDeadline());
                    // a child in a narrower scope of its own spawns a sibling: the sibling
                    // runs under the group's deadline, not the child's scope
                    return null;
                }));
                g.spawn(() -> Async.timeout(MS_100, () -> Async.yieldNow().map(v -> {
                    g.spawn(() -> Async.yieldNow().map(x -> seen.add(Timeout.currentDeadline())));
                    return null;
                })));
                return Async.completed(null);
            }));
            f.loop.runUntilComplete(r);
            assertEquals(OptionalLong.of(deadline), groupDeadline[0]);
            assertEquals(List.of(OptionalLong.of(deadline), OptionalLong.of(deadline)), seen);
        }
    }

    @Test
    void oneBudgetForAWholeRequestCancelsEveryChildAtTheDeadline() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            long start = f.clock.nanoTime();
            Future<Void> request = Async.timeout(Duration.ofMillis(250), () -> TaskGroup.run(g -> {
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    g.spawn(() -> Async.sleep(Duration.ofMillis(100L * (n + 2)))
                            .map(v -> log.add("child " + n + " done"))
                            .recover(CancellationException.class, e -> {
                                log.add("child " + n + " cancelled");
                                return Async.failed(e);
                            }));
                }
                return Async.completed(null);
            }));
            assertInstanceOf(TimeoutException.class, failureOf(f, request));
            assertEquals(List.of("child 0 done", "child 1 cancelled", "child 2 cancelled"), log);
            assertEquals(250, f.elapsedMillis(start));
        }
    }

    @Test
    void timeoutScopeFromAnotherThreadThrows() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            Timeout t = Timeout.after(MS_100);
            Throwable[] thrown = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    t.run(Async::yieldNow);
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            other.start();
            other.join(10_000);
            assertInstanceOf(IllegalStateException.class, thrown[0]);
        }
    }

    @Test
    void resultOfATimedOutScopeThrowsTimeoutWrapped() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> r = Async.timeout(MS_100, () -> Async.sleep(Duration.ofSeconds(1)));
            CompletionException e = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(r));
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
    }
}
