package io.eventloop.await;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.CallGraph;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** The body of an {@code async} task: values, failures, interleaving, what reports show. */
@EventLoopTest
class AwaitTest {

    @EventLoopTest
    Future<?> awaitGivesTheValueOnceTheFutureCompletes(EventLoop loop, TestClock clock) {
        return async(() -> {
            String s = await(Async.sleep(Duration.ofSeconds(2), "slept"));
            assertEquals("slept", s);
            assertEquals(Duration.ofSeconds(2), clock.elapsed());
            return s;
        });
    }

    @EventLoopTest
    Future<?> theTaskEndsWithTheBodysValue(EventLoop loop) {
        Task<Integer> t = async("adder", () -> await(Async.completed(40)) + 2);
        assertEquals("adder", t.name());
        return t.map(v -> {
            assertEquals(42, v);
            return v;
        });
    }

    @EventLoopTest
    Future<?> aFailureIsThrownAsItIsCheckedOrNot(EventLoop loop) {
        IOException io = new IOException("disk");
        Future<String> later = loop.createFuture();
        loop.callLater(Duration.ofMillis(1), () -> later.fail(io));
        return async(() -> {
            try {
                await(later);
                throw new AssertionError("no failure");
            } catch (Exception e) {
                assertSame(io, e);
            }
            Exception done = assertThrows(Exception.class, () -> await(Async.failed(io)));
            assertSame(io, done);
            return null;
        });
    }

    @EventLoopTest
    Future<?> aBodyThatThrowsFailsItsTask(EventLoop loop) {
        Task<String> t = async(() -> {
            await(Async.sleep(Duration.ofMillis(5)));
            throw new IOException("body failed");
        });
        return t.recover(IOException.class, e -> {
            assertEquals("body failed", e.getMessage());
            return Async.completed("recovered");
        });
    }

    @EventLoopTest
    Future<?> anAwaitOfADoneFutureDoesNotSuspend(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Task<Void> t = async(() -> {
            await(Async.completed("x")); // no suspension: the other task, next in line, has not run yet
            log.add("after done await");
            await(Async.yieldNow());
            log.add("after yield");
            assertEquals(List.of("after done await", "other ran", "after yield"), log);
            return null;
        });
        async(() -> {
            log.add("other ran");
            return null;
        });
        return t;
    }

    @EventLoopTest
    Future<?> twoBodiesInterleaveAtTheirAwaitsOnTheLoopThread(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Thread loopThread = Thread.currentThread();
        Task<Void> a = async(() -> {
            for (int i = 0; i < 3; i++) {
                assertSame(loopThread, Thread.currentThread());
                log.add("a" + i);
                await(Async.yieldNow());
            }
            return null;
        });
        Task<Void> b = async(() -> {
            for (int i = 0; i < 3; i++) {
                log.add("b" + i);
                await(Async.yieldNow());
            }
            return null;
        });
        return Async.gather(a, b).map(v -> {
            assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), log);
            return v;
        });
    }

    @EventLoopTest
    Future<?> currentTaskInsideTheBodyIsItsOwnTask(EventLoop loop) {
        Task<?>[] self = new Task<?>[1];
        self[0] = async(() -> {
            assertSame(self[0], loop.currentTask());
            await(Async.sleep(Duration.ofMillis(1)));
            assertSame(self[0], loop.currentTask());
            return null;
        });
        return self[0];
    }

    @EventLoopTest
    Future<?> aSuspendedTaskSaysWhatItAwaitsAndWhereItWasCreated(EventLoop loop) {
        Task<Void> t = async("sleeper", () -> {
            await(Async.sleep(Duration.ofSeconds(5)));
            return null;
        });
        return Async.sleep(Duration.ofSeconds(1)).map(v -> {
            String s = t.toString();
            assertTrue(s.contains("created at io.eventloop.await.AwaitTest"), s);
            assertTrue(s.contains("waiting on Future[sleep, pending]"), s);
            String graph = CallGraph.of(loop).toString();
            assertTrue(graph.contains("sleeper") && graph.contains("Future[sleep, pending"), graph);
            return v;
        });
    }

    @EventLoopTest
    Future<?> aTaskAwaitingACoroutineIsShownAboveIt(EventLoop loop) {
        Task<Void> inner = async("inner", () -> {
            await(Async.sleep(Duration.ofSeconds(5)));
            return null;
        });
        Task<Void> outer = async("outer", () -> await(inner));
        return Async.sleep(Duration.ofSeconds(1)).map(v -> {
            String graph = CallGraph.of(loop).toString();
            assertTrue(graph.indexOf("outer") < graph.indexOf("inner"), graph);
            assertEquals(1, CallGraph.of(loop).roots().size(), graph);
            outer.cancel();
            return v;
        }).then(v -> outer.recover(CancellationException.class, e -> Async.completed(null)))
                .map(v -> {
                    assertTrue(inner.isCancelled(), "cancelling the outer cancelled the task it awaited");
                    return v;
                });
    }

    @EventLoopTest
    Future<?> aCoroutineCanAwaitAContinuationOfItsOwn(EventLoop loop) {
        return async(() -> {
            int n = await(Async.sleep(Duration.ofMillis(1), 20).then(v -> Async.completed(v + 1)).map(v -> v * 2));
            assertEquals(42, n);
            assertFalse(loop.currentTask().isDone());
            return n;
        });
    }
}
