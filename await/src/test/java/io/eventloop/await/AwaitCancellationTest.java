package io.eventloop.await;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.TaskGroupException;
import io.eventloop.TaskLocal;
import io.eventloop.Timeout;
import io.eventloop.sync.AsyncQueue;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** The task behaviours of cancellation, timeouts, shield and task groups, with coroutine bodies. */
@EventLoopTest
class AwaitCancellationTest {

    /** A body that awaits three sleeps in turn, logging each step and its finally. */
    private static Task<String> threeSleeps(List<String> log) {
        return async(() -> {
            try {
                for (int i = 1; i <= 3; i++) {
                    await(Async.sleep(Duration.ofSeconds(1)));
                    log.add("slept " + i);
                }
                return "done";
            } finally {
                log.add("finally");
            }
        });
    }

    @EventLoopTest
    Future<?> cancellingAtEachAwaitThrowsThereAndRunsFinally(EventLoop loop) {
        List<Future<?>> runs = new ArrayList<>();
        for (int at = 0; at < 3; at++) {
            List<String> log = new ArrayList<>();
            Task<String> t = threeSleeps(log);
            int n = at;
            runs.add(Async.sleep(Duration.ofMillis(500 + 1000L * at)).then(v -> {
                assertTrue(t.cancel());
                return t.recover(CancellationException.class, e -> Async.completed("cancelled"));
            }).map(v -> {
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    expected.add("slept " + i);
                }
                expected.add("finally");
                assertEquals(expected, log, "cancelled at await " + (n + 1));
                assertTrue(t.isCancelled());
                return v;
            }));
        }
        return Async.gather(runs);
    }

    @EventLoopTest
    Future<?> cancellingTheTaskCancelsTheFutureItAwaits(EventLoop loop) {
        Future<String> never = loop.createFuture();
        Task<String> t = async(() -> await(never));
        return Async.yieldNow().then(v -> Async.yieldNow()).map(v -> {
            t.cancel("stop");
            assertTrue(never.isCancelled());
            return v;
        }).then(v -> t.recover(CancellationException.class, e -> {
            assertEquals("stop", e.getMessage());
            return Async.completed("ok");
        }));
    }

    @EventLoopTest
    Future<?> aBodyThatCatchesTheCancellationAndGoesOnWins(EventLoop loop) {
        Task<String> t = async(() -> {
            try {
                await(Async.sleep(Duration.ofSeconds(10)));
                return "slept";
            } catch (CancellationException e) {
                await(Async.sleep(Duration.ofSeconds(1))); // it may still wait while cleaning up
                return "caught";
            }
        });
        return Async.sleep(Duration.ofSeconds(1)).then(v -> {
            t.cancel();
            assertEquals(1, t.cancelling());
            return t;
        }).map(v -> {
            assertEquals("caught", v);
            return v;
        });
    }

    @EventLoopTest
    Future<?> aTaskCancelledBeforeItStartsNeverRunsItsBody(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Task<Void> t = async(() -> {
            log.add("ran");
            return null;
        });
        t.cancel();
        return Async.yieldNow().map(v -> {
            assertTrue(t.isCancelled());
            assertEquals(List.of(), log);
            return v;
        });
    }

    @EventLoopTest
    Future<?> uncancelWithdrawsTheRequestAsForAnyTask(EventLoop loop) {
        return async(() -> {
            Task<?> self = loop.currentTask();
            Task<String> child = async(() -> {
                try {
                    await(Async.sleep(Duration.ofSeconds(5)));
                } catch (CancellationException e) {
                    assertEquals(1, loop.currentTask().cancelling());
                    assertEquals(0, loop.currentTask().uncancel());
                }
                return "uncancelled";
            });
            await(Async.sleep(Duration.ofSeconds(1)));
            child.cancel();
            assertEquals("uncancelled", await(child));
            assertEquals(0, self.cancelling());
            return null;
        });
    }

    @EventLoopTest
    Future<?> aShieldedAwaitKeepsTheInnerWorkGoing(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Task<String> work = async(() -> {
            await(Async.sleep(Duration.ofSeconds(2)));
            log.add("work done");
            return "w";
        });
        Task<String> waiter = async(() -> await(Async.shield(work)));
        return Async.sleep(Duration.ofSeconds(1)).then(v -> {
            waiter.cancel();
            return waiter.recover(CancellationException.class, e -> Async.completed("cancelled"));
        }).then(v -> {
            assertEquals("cancelled", v);
            assertFalse(work.isDone());
            return work;
        }).map(v -> {
            assertEquals(List.of("work done"), log);
            return v;
        });
    }

    @EventLoopTest
    Future<?> waitForTimesOutACoroutineAfterItsFinallyRan(EventLoop loop, TestClock clock) {
        List<String> log = new ArrayList<>();
        return async(() -> {
            Task<String> slow = threeSleeps(log);
            assertThrows(TimeoutException.class, () -> {
                try {
                    await(Async.waitFor(slow, Duration.ofMillis(1500)));
                } catch (Exception e) {
                    throw e;
                }
            });
            assertEquals(List.of("slept 1", "finally"), log, "waitFor waited for the cancelled body to finish");
            assertTrue(slow.isCancelled());
            assertEquals(Duration.ofMillis(1500), clock.elapsed());
            return null;
        });
    }

    @EventLoopTest
    Future<?> aTimeoutScopeAroundACoroutineCancelsItAndTheDeadlineReachesIt(EventLoop loop) {
        List<String> log = new ArrayList<>();
        return async(() -> {
            Future<String> scoped = Async.timeout(Duration.ofMillis(2500), () -> async(() -> {
                assertTrue(Timeout.currentDeadline().isPresent(), "the body sees the scope's deadline");
                return await(threeSleeps(log));
            }));
            Exception e = assertThrows(Exception.class, () -> await(scoped));
            assertTrue(e instanceof TimeoutException, e.toString());
            assertEquals(List.of("slept 1", "slept 2", "finally"), log);
            assertEquals(0, loop.currentTask().cancelling(), "the scope's cancel was uncancelled");
            return null;
        });
    }

    @EventLoopTest
    Future<?> aFailingChildCancelsTheOtherCoroutinesOfItsGroupAndTheirFinallyRuns(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Future<Object> group = TaskGroup.run(g -> {
            g.spawn(() -> threeSleeps(log));
            g.spawn(() -> async(() -> {
                await(Async.sleep(Duration.ofMillis(1500)));
                throw new IllegalArgumentException("child failed");
            }));
            return Async.completed(null);
        });
        return group.recover(TaskGroupException.class, e -> {
            assertEquals("child failed", e.getSuppressed()[0].getMessage());
            assertEquals(List.of("slept 1", "finally"), log);
            return Async.completed(null);
        });
    }

    @EventLoopTest
    Future<?> aCoroutineCanRunATaskGroupAndAwaitIt(EventLoop loop) {
        return async(() -> {
            List<Integer> results = new ArrayList<>();
            await(TaskGroup.run(g -> {
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    g.spawn(() -> async(() -> {
                        await(Async.sleep(Duration.ofMillis(10 * (3 - n))));
                        results.add(n);
                        return null;
                    }));
                }
                return Async.completed(null);
            }));
            assertEquals(List.of(2, 1, 0), results);
            return null;
        });
    }

    @EventLoopTest
    Future<?> aCancelledQueueWaiterPassesTheItemOnAfterItsGetCompleted(EventLoop loop) {
        AsyncQueue<String> q = new AsyncQueue<>(0);
        Task<String> first = async(() -> await(q.get()));
        Task<String> second = async(() -> await(q.get()));
        return Async.yieldNow().then(v -> Async.yieldNow()).then(v -> {
            q.offer("item"); // wakes the first getter...
            first.cancel(); // ...which is cancelled before it resumes: the item goes back
            return second;
        }).map(v -> {
            assertEquals("item", v);
            assertTrue(first.isCancelled());
            return v;
        });
    }

    @EventLoopTest
    Future<?> taskLocalsFollowTheCoroutineAcrossItsAwaits(EventLoop loop) {
        TaskLocal<String> user = new TaskLocal<>("user");
        return async(() -> {
            user.set("alice");
            Task<String> child = async(() -> {
                await(Async.sleep(Duration.ofMillis(5)));
                return user.get();
            });
            user.set("bob");
            await(Async.sleep(Duration.ofMillis(10)));
            assertEquals("bob", user.get());
            assertEquals("alice", await(child), "a child copies its creator's values when it is created");
            return null;
        });
    }
}
