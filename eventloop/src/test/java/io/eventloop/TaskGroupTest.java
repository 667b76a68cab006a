package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS G: TaskGroup. */
class TaskGroupTest {
    private static final Duration MS_100 = Duration.ofMillis(100);

    static final class MyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MyException(String message) {
            super(message);
        }
    }

    static final class Fatal extends Error {
        private static final long serialVersionUID = 1L;
    }

    private static ThrowingSupplier<Future<Void>> crashAfter(long millis, RuntimeException e) {
        return () -> Async.sleep(Duration.ofMillis(millis)).then(v -> Async.failed(e));
    }

    private static Set<Class<?>> typesOf(Throwable e) {
        Set<Class<?>> types = new HashSet<>();
        for (Throwable t : ((TaskGroupException) e).exceptions()) {
            types.add(t.getClass());
        }
        return types;
    }

    private static Throwable failureOf(FakeLoop f, Future<?> future) {
        f.loop.runUntilComplete(Async.gatherSettled(List.of(future)));
        return future.exception();
    }

    /** Counts how often the future's awaiter sees a cancellation, and rethrows it. */
    private static <T> Future<T> counting(Future<T> f, AtomicInteger count, int by) {
        return f.recover(CancellationException.class, e -> {
            count.addAndGet(by);
            return Async.failed(e);
        });
    }

    // ------------------------------------------------------------------ G.67

    @Test
    void leavingTheGroupWaitsForEveryChild() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<Integer>> children = new ArrayList<>();
            long start = f.clock.nanoTime();
            Future<String> g = TaskGroup.run(group -> {
                children.add(group.spawn(() -> Async.sleep(MS_100, 42)));
                return Async.sleep(Duration.ofMillis(150)).map(v -> {
                    children.add(group.spawn(() -> Async.sleep(Duration.ofMillis(200), 11)));
                    return "body";
                });
            });
            assertEquals("body", f.loop.runUntilComplete(g));
            assertEquals(350, f.elapsedMillis(start));
            assertEquals(42, children.get(0).result());
            assertEquals(11, children.get(1).result());
        }
    }

    @Test
    void groupOfManyChildrenCompletesWithTheBodysValue() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger sum = new AtomicInteger();
            Future<Integer> g = TaskGroup.run(group -> {
                for (int i = 0; i < 10_000; i++) {
                    int n = i;
                    group.spawn(() -> Async.yieldNow().map(v -> sum.addAndGet(n)));
                }
                return Async.completed(7);
            });
            assertEquals(7, f.loop.runUntilComplete(g));
            assertEquals(10_000 * 9_999 / 2, sum.get());
            assertEquals(0, f.loop.allTasks().size());
        }
    }

    // ------------------------------------------------------------------ G.68

    @Test
    void firstChildFailureCancelsSiblingsAndTheBodyAndFailsWithOnlyRealErrors() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger cancels = new AtomicInteger();
            List<String> log = new ArrayList<>();
            Task<Void> runner = f.loop.createTask(() -> TaskGroup.run(group -> {
                group.spawn(crashAfter(100, new ArithmeticException("/ by zero")));
                group.spawn(crashAfter(100, new ArithmeticException("/ by zero")));
                group.spawn(crashAfter(100, new ArithmeticException("/ by zero")));
                group.spawn(() -> counting(Async.sleep(Duration.ofSeconds(5)), cancels, 1));
                return counting(Async.sleep(Duration.ofSeconds(10)), cancels, 10);
            }).map(v -> {
                log.add("after the group");
                return null;
            }));
            Throwable e = failureOf(f, runner);
            assertInstanceOf(TaskGroupException.class, e);
            assertEquals(Set.of(ArithmeticException.class), typesOf(e));
            assertEquals(3, ((TaskGroupException) e).exceptions().size(),
                    "the three crashes of the same iteration are all collected");
            assertEquals(11, cancels.get(), "the sibling and the body were cancelled");
            assertEquals(List.of(), log, "code after the group does not run");
            assertEquals(Arrays.asList(e.getSuppressed()), ((TaskGroupException) e).exceptions());
        }
    }

    @Test
    void aggregateNeverContainsTheCancellationsItCaused() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<?>> children = new ArrayList<>();
            Future<Void> g = TaskGroup.run(group -> {
                children.add(group.spawn(crashAfter(100, new MyException("boom"))));
                children.add(group.spawn(() -> Async.sleep(Duration.ofSeconds(1))));
                children.add(group.spawn(() -> Async.sleep(Duration.ofSeconds(2))));
                return Async.sleep(Duration.ofSeconds(3));
            });
            TaskGroupException e = (TaskGroupException) failureOf(f, g);
            assertEquals(1, e.exceptions().size());
            assertEquals("boom", e.exceptions().get(0).getMessage());
            assertTrue(children.get(1).isCancelled());
            assertTrue(children.get(2).isCancelled());
            assertFalse(g.isCancelled());
        }
    }

    @Test
    void theMessageNamesTheCountTheFirstFailureAndTheTaskItCameFrom() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn("fetch a", crashAfter(100, new IllegalStateException("503 from a")));
                group.spawn("fetch b", crashAfter(100, new IllegalStateException("503 from b")));
                return Async.completed(null);
            });
            assertEquals("unhandled errors in a TaskGroup (2 sub-exceptions), the first from task 'fetch a':"
                    + " java.lang.IllegalStateException: 503 from a", failureOf(f, g).getMessage());
        }
    }

    @Test
    void aFailureOfTheBodyIsNamedWithTheTaskTheGroupRunsIn() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> main = f.loop.createTask("main", () -> TaskGroup.run(group -> {
                group.spawn(() -> Async.sleep(Duration.ofSeconds(1)));
                return Async.sleep(MS_100).then(v -> Async.<Void>failed(new MyException("body broke")));
            }));
            assertEquals("unhandled errors in a TaskGroup (1 sub-exception), from the body, in task 'main':"
                    + " io.eventloop.TaskGroupTest$MyException: body broke", failureOf(f, main).getMessage());
        }
    }

    @Test
    void aTaskGroupExceptionMadeByHandNamesTheCountAndTheFirstFailure() {
        TaskGroupException e = new TaskGroupException("two went wrong",
                List.of(new MyException("first"), new MyException("second")));
        assertEquals("two went wrong (2 sub-exceptions), the first: io.eventloop.TaskGroupTest$MyException: first",
                e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertThrows(IllegalArgumentException.class, () -> new TaskGroupException("none", List.of()));
    }

    @Test
    void bodyFailureCancelsTheChildrenAndIsInTheAggregate() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<Integer>> children = new ArrayList<>();
            Future<Void> g = TaskGroup.run(group -> {
                children.add(group.spawn(() -> Async.sleep(Duration.ofSeconds(1), 42)));
                children.add(group.spawn(() -> Async.sleep(Duration.ofSeconds(2), 11)));
                return Async.sleep(MS_100).then(v -> Async.failed(new ArithmeticException()));
            });
            assertEquals(Set.of(ArithmeticException.class), typesOf(failureOf(f, g)));
            assertTrue(children.get(0).isCancelled());
            assertTrue(children.get(1).isCancelled());
        }
    }

    @Test
    void bodyThatThrowsAtOnceCancelsTheChildrenItSpawned() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<Integer>> children = new ArrayList<>();
            Future<Void> g = TaskGroup.run(group -> {
                children.add(group.spawn(() -> Async.sleep(Duration.ofSeconds(1), 42)));
                throw new ArithmeticException();
            });
            assertEquals(Set.of(ArithmeticException.class), typesOf(failureOf(f, g)));
            assertTrue(children.get(0).isCancelled());
            Future<Void> nullBody = TaskGroup.run(group -> null);
            assertEquals(Set.of(NullPointerException.class), typesOf(failureOf(f, nullBody)));
        }
    }

    // ------------------------------------------------------------------ G.69

    @Test
    void childCancelledOnItsOwnDoesNotAbortTheGroup() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<Integer>> children = new ArrayList<>();
            Future<Void> g = TaskGroup.run(group -> {
                children.add(group.spawn(() -> Async.sleep(Duration.ofSeconds(1), 42)));
                return Async.sleep(Duration.ofMillis(150)).map(v -> {
                    children.get(0).cancel();
                    children.add(group.spawn(() -> Async.sleep(Duration.ofMillis(200), 11)));
                    return null;
                });
            });
            f.loop.runUntilComplete(g);
            assertTrue(children.get(0).isCancelled());
            assertEquals(11, children.get(1).result());
        }
    }

    // ------------------------------------------------------------------ G.70

    @Test
    void cancellingTheOwnerCancelsEveryChildExactlyOnceAndKeepsTheMessage() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger num = new AtomicInteger();
            Task<Void> runner = f.loop.createTask(() -> TaskGroup.run(group -> {
                for (int i = 0; i < 5; i++) {
                    group.spawn(() -> counting(Async.sleep(Duration.ofSeconds(5)), num, 1));
                }
                return Async.completed(null);
            }));
            f.loop.callLater(MS_100, () -> runner.cancel("test"));
            CancellationException e = assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(runner));
            assertEquals("test", e.getMessage());
            assertEquals(5, num.get());
            assertTrue(runner.isCancelled());
        }
    }

    @Test
    void cancellingTheOwnerCancelsTheBodyAndEveryChildOnce() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger num = new AtomicInteger();
            Task<Void> runner = f.loop.createTask(() -> TaskGroup.run(group -> {
                for (int i = 0; i < 5; i++) {
                    group.spawn(() -> counting(Async.sleep(Duration.ofSeconds(5)), num, 1));
                }
                return counting(Async.sleep(Duration.ofSeconds(10)), num, 10);
            }));
            f.loop.callLater(MS_100, runner::cancel);
            f.loop.callLater(Duration.ofMillis(101), runner::cancel); // a second cancel changes nothing
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(runner));
            assertEquals(15, num.get());
        }
    }

    @Test
    void cancelledGroupWaitsForChildrenThatTakeTimeToStop() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            long start = f.clock.nanoTime();
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn(() -> Async.sleep(Duration.ofSeconds(5))
                        .ensure(() -> Async.sleep(Duration.ofMillis(500)).map(v -> log.add("child stopped"))));
                return Async.sleep(Duration.ofSeconds(10));
            });
            f.loop.callLater(MS_100, g::cancel);
            g.onDone(x -> log.add("group done"));
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(g));
            assertEquals(List.of("child stopped", "group done"), log);
            assertEquals(600, f.elapsedMillis(start));
        }
    }

    // ------------------------------------------------------------------ G.71

    @Test
    void errorsFromCleanupDuringCancellationAreCollectedWithTheTriggeringError() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn(crashAfter(100, new ArithmeticException()));
                return Async.sleep(Duration.ofSeconds(10)).ensure(() -> {
                    throw new MyException("from finally");
                });
            });
            assertEquals(Set.of(ArithmeticException.class, MyException.class), typesOf(failureOf(f, g)));
        }
    }

    @Test
    void bodyThatThrowsWhileBeingCancelledFromOutsideProducesAnAggregate() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> runner = f.loop.createTask(() -> TaskGroup.run(group -> Async.sleep(Duration.ofSeconds(10))
                    .recover(CancellationException.class, e -> Async.failed(new MyException("instead")))));
            f.loop.callLater(MS_100, runner::cancel);
            assertEquals(Set.of(MyException.class), typesOf(failureOf(f, runner)));
        }
    }

    @Test
    void anErrorPropagatesBareNotWrapped() {
        try (FakeLoop f = new FakeLoop()) {
            Fatal fatal = new Fatal();
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn(crashAfter(100, new ArithmeticException()));
                return Async.sleep(Duration.ofSeconds(10)).ensure(() -> {
                    throw fatal;
                });
            });
            assertSame(fatal, assertThrows(Fatal.class, () -> f.loop.runUntilComplete(g)), "out of the loop run");
            assertSame(fatal, assertThrows(Fatal.class, () -> f.loop.runUntilComplete(g)), "and as the group's failure");
            assertTrue(f.errors.stream().anyMatch(c -> c.exception() instanceof ArithmeticException),
                    "the other failure is reported, not lost");
        }
    }

    // ------------------------------------------------------------------ G.72

    @Test
    void failureInTheOuterGroupCancelsTheInnerGroup() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<Task<Void>> innerChild = new AtomicReference<>();
            Future<Void> g = TaskGroup.run(g1 -> {
                g1.spawn(crashAfter(100, new IllegalArgumentException("outer")));
                return TaskGroup.run(g2 -> {
                    innerChild.set(g2.spawn(crashAfter(10_000, new IllegalArgumentException("inner"))));
                    return Async.completed(null);
                });
            });
            Throwable e = failureOf(f, g);
            assertEquals(Set.of(IllegalArgumentException.class), typesOf(e));
            assertEquals("outer", ((TaskGroupException) e).exceptions().get(0).getMessage());
            assertTrue(innerChild.get().isCancelled());
        }
    }

    @Test
    void failureInANestedGroupPropagatesAsANestedAggregate() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> g = TaskGroup.run(g1 -> {
                g1.spawn(crashAfter(10_000, new IllegalArgumentException("outer")));
                return TaskGroup.run(g2 -> {
                    g2.spawn(crashAfter(100, new IllegalArgumentException("inner")));
                    return Async.completed(null);
                });
            });
            Throwable e = failureOf(f, g);
            assertEquals(Set.of(TaskGroupException.class), typesOf(e));
            Throwable nested = ((TaskGroupException) e).exceptions().get(0);
            assertEquals(Set.of(IllegalArgumentException.class), typesOf(nested));
        }
    }

    // ------------------------------------------------------------------ G.73

    @Test
    void childrenMaySpawnChildrenWhileTheGroupRunsOrExits() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger done = new AtomicInteger();
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn(() -> Async.sleep(MS_100).map(v -> {
                    group.spawn(() -> Async.sleep(MS_100).map(x -> done.incrementAndGet()));
                    group.spawn(() -> Async.sleep(Duration.ofMillis(200)).map(x -> done.incrementAndGet()));
                    return null;
                }));
                return Async.completed(null); // the body is done: the group is exiting
            });
            f.loop.runUntilComplete(g);
            assertEquals(2, done.get());
        }
    }

    @Test
    void hydraChildrenStopWhenHerculesFails() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger hydras = new AtomicInteger();
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn(() -> hydra(group, hydras));
                group.spawn(() -> Async.repeat(() -> Async.sleep(Duration.ofMillis(15)).map(v -> hydras.get() < 10))
                        .then(v -> Async.failed(new ArithmeticException())));
                return Async.completed(null);
            });
            assertEquals(Set.of(ArithmeticException.class), typesOf(failureOf(f, g)));
            assertTrue(hydras.get() >= 10);
            assertEquals(0, f.loop.allTasks().size());
        }
    }

    private static Future<Void> hydra(TaskGroup group, AtomicInteger hydras) {
        hydras.incrementAndGet();
        return Async.sleep(Duration.ofMillis(10)).map(v -> {
            group.spawn(() -> hydra(group, hydras));
            group.spawn(() -> hydra(group, hydras));
            return null;
        });
    }

    @Test
    void finishedChildrenAreNotRetained() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<TaskGroup> ref = new AtomicReference<>();
            List<Integer> counts = new ArrayList<>();
            Future<Void> g = TaskGroup.run(group -> {
                ref.set(group);
                return Async.forEach(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), i -> Async.sleep(MS_100).map(v -> {
                    group.spawn(() -> Async.sleep(Duration.ofMillis(300)));
                    if (i == 5) {
                        counts.add(group.childCount());
                    }
                    return null;
                })).then(v -> Async.sleep(Duration.ofMillis(1350))).map(v -> {
                    counts.add(group.childCount());
                    return null;
                });
            });
            f.loop.runUntilComplete(g);
            assertTrue(counts.get(0) < 5, "at most three children run at once: " + counts);
            assertEquals(0, counts.get(1));
            assertEquals(0, ref.get().childCount());
        }
    }

    @Test
    void childTaskKeepsItsName() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<Task<Void>> child = new AtomicReference<>();
            f.loop.runUntilComplete(TaskGroup.run(group -> {
                child.set(group.spawn("yolo", Async::yieldNow));
                return Async.completed(null);
            }));
            assertEquals("yolo", child.get().name());
        }
    }

    // ------------------------------------------------------------------ G.74

    @Test
    void spawnOnAFinishedGroupThrows() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<TaskGroup> ref = new AtomicReference<>();
            f.loop.runUntilComplete(TaskGroup.run(group -> {
                ref.set(group);
                return Async.completed(null);
            }));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ref.get().spawn(Async::yieldNow));
            assertTrue(e.getMessage().contains("is finished"), e.getMessage());
            assertEquals(0, f.loop.allTasks().size(), "nothing was started");
        }
    }

    @Test
    void spawnWhileTheGroupIsShuttingDownThrows() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn(crashAfter(100, new ArithmeticException()));
                return Async.sleep(Duration.ofSeconds(10)).recover(CancellationException.class, e -> {
                    try {
                        group.spawn(Async::yieldNow);
                    } catch (IllegalStateException refused) {
                        log.add(refused.getMessage().contains("shutting down") ? "refused" : refused.getMessage());
                    }
                    return Async.failed(e);
                });
            });
            assertEquals(Set.of(ArithmeticException.class), typesOf(failureOf(f, g)));
            assertEquals(List.of("refused"), log);
        }
    }

    // ------------------------------------------------------------------ more

    @Test
    void groupCancelStopsEverythingAndEndsWithoutACancellation() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<Integer>> children = new ArrayList<>();
            AtomicReference<TaskGroup> ref = new AtomicReference<>();
            Future<String> g = TaskGroup.run(group -> {
                ref.set(group);
                children.add(group.spawn(() -> Async.sleep(Duration.ofSeconds(10), 1)));
                children.add(group.spawn(() -> Async.sleep(Duration.ofMillis(50), 2)));
                return Async.sleep(Duration.ofSeconds(20), "body");
            });
            f.loop.callLater(MS_100, () -> ref.get().cancel()); // found what we were looking for
            long start = f.clock.nanoTime();
            assertEquals(null, f.loop.runUntilComplete(g));
            assertFalse(g.isCancelled());
            assertTrue(children.get(0).isCancelled());
            assertEquals(2, children.get(1).result());
            assertEquals(100, f.elapsedMillis(start));
        }
    }

    @Test
    void childThatCancelsItsGroupIsCancelledToo() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<Integer>> children = new ArrayList<>();
            Future<String> g = TaskGroup.run(group -> {
                children.add(group.spawn(() -> Async.sleep(MS_100).map(v -> {
                    group.cancel();
                    return 2;
                })));
                return Async.completed("body");
            });
            assertEquals("body", f.loop.runUntilComplete(g), "the body had completed: its value stands");
            assertTrue(children.get(0).isCancelled(), "as in asyncio: it cancelled itself and returned without an await");
        }
    }

    @Test
    void ownerTaskIsNeverLeftCancelledByTheGroup() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> owner = f.loop.createTask(() -> TaskGroup.run(group -> {
                group.spawn(crashAfter(100, new ArithmeticException()));
                return Async.sleep(Duration.ofSeconds(10));
            }).map(v -> "no").recover(TaskGroupException.class, e -> Async.sleep(MS_100, "handled")));
            assertEquals("handled", f.loop.runUntilComplete(owner));
            assertEquals(0, owner.cancelling());
            assertFalse(owner.isCancelled());
        }
    }

    @Test
    void childFailuresAreNotReportedAsNeverRetrieved() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> g = TaskGroup.run(group -> {
                group.spawn(crashAfter(10, new ArithmeticException()));
                return Async.completed(null);
            });
            failureOf(f, g);
            f.close();
            assertTrue(f.errors.isEmpty(), f.errors::toString);
        }
    }

    @Test
    void groupFromAnotherThreadThrows() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<TaskGroup> ref = new AtomicReference<>();
            Future<Void> g = TaskGroup.run(group -> {
                ref.set(group);
                return Async.sleep(MS_100);
            });
            Throwable[] thrown = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    ref.get().spawn(Async::yieldNow);
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            other.start();
            other.join(10_000);
            assertInstanceOf(IllegalStateException.class, thrown[0]);
            f.loop.runUntilComplete(g);
        }
    }
}
