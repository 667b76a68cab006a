package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Async#forEach(AsyncIterator, ThrowingFunction)}: asyncio's {@code async for}. */
class AsyncForEachTest {

    /** An async iterator over a list: each element after 10 ms; the close takes 100 ms. */
    static final class ListIterator implements AsyncIterator<String> {
        final FakeLoop f;
        final List<String> items;
        final List<String> log;
        Throwable failAt2;
        Throwable closeError;
        int index;
        int nexts;
        int closes;

        ListIterator(FakeLoop f, List<String> items, List<String> log) {
            this.f = f;
            this.items = items;
            this.log = log;
        }

        @Override
        public Future<Optional<String>> next() {
            nexts++;
            if (failAt2 != null && index == 2) {
                return f.failingLater(10, failAt2);
            }
            Optional<String> item = index < items.size() ? Optional.of(items.get(index++)) : Optional.empty();
            return f.later(10, item);
        }

        @Override
        public Future<Void> closeAsync() {
            closes++;
            log.add("close");
            Future<Void> done = closeError == null ? f.later(100, null) : f.failingLater(100, closeError);
            return done.ensure(() -> log.add("closed"));
        }
    }

    @Test
    void takesEachElementInTurnThenClosesBeforeCompleting() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            ListIterator it = new ListIterator(f, List.of("a", "b", "c"), log);

            Future<Void> done = Async.forEach(it, x -> {
                log.add("body " + x + " after " + it.nexts + " next()");
                return Async.sleep(Duration.ofMillis(5));
            });
            done.onDone(d -> log.add("done"));
            f.loop.runUntilComplete(done);
            f.iterate(1);

            assertEquals(List.of("body a after 1 next()", "body b after 2 next()", "body c after 3 next()",
                    "close", "closed", "done"), log);
            assertEquals(4, it.nexts, "the fourth next() found the end");
            assertEquals(1, it.closes);
        }
    }

    @Test
    void overAnAsyncIterableUsesANewIterator() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            List<String> got = new ArrayList<>();
            AsyncIterable<String> iterable = () -> new ListIterator(f, List.of("x", "y"), log);

            f.loop.runUntilComplete(Async.forEach(iterable, x -> {
                got.add(x);
                return Async.completed(null);
            }));
            f.loop.runUntilComplete(Async.forEach(iterable, x -> {
                got.add(x);
                return Async.completed(null);
            }));

            assertEquals(List.of("x", "y", "x", "y"), got);
            assertEquals(List.of("close", "closed", "close", "closed"), log);
        }
    }

    @Test
    void anEarlyFailureInTheBodyStopsTheLoopAndClosesTheIterator() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            ListIterator it = new ListIterator(f, List.of("a", "b", "c", "d"), log);
            IOException boom = new IOException("bad b");

            Future<Void> done = Async.forEach(it, x -> x.equals("b") ? f.failingLater(5, boom) : Async.completed(null));

            assertSame(boom, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(done)).getCause());
            assertEquals(2, it.nexts, "no next() after the failure");
            assertEquals(List.of("close", "closed"), log);
        }
    }

    @Test
    void aBodyThatThrowsStopsTheLoopAndClosesTheIterator() {
        try (FakeLoop f = new FakeLoop()) {
            ListIterator it = new ListIterator(f, List.of("a", "b"), new ArrayList<>());
            IllegalArgumentException boom = new IllegalArgumentException("no");

            Future<Void> done = Async.forEach(it, x -> {
                throw boom;
            });

            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> f.loop.runUntilComplete(done)));
            assertEquals(1, it.closes);
        }
    }

    @Test
    void aFailingNextStopsTheLoopAndClosesTheIterator() {
        try (FakeLoop f = new FakeLoop()) {
            ListIterator it = new ListIterator(f, List.of("a", "b", "c"), new ArrayList<>());
            it.failAt2 = new IOException("source broke");
            List<String> got = new ArrayList<>();

            Future<Void> done = Async.forEach(it, x -> {
                got.add(x);
                return Async.completed(null);
            });

            assertSame(it.failAt2, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(done)).getCause());
            assertEquals(List.of("a", "b"), got);
            assertEquals(1, it.closes);
        }
    }

    @Test
    void aCloseFailureAfterABodyFailureIsSuppressed() {
        try (FakeLoop f = new FakeLoop()) {
            ListIterator it = new ListIterator(f, List.of("a"), new ArrayList<>());
            it.closeError = new IOException("close broke");
            IOException boom = new IOException("body broke");

            Future<Void> done = Async.forEach(it, x -> Async.failed(boom));

            assertSame(boom, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(done)).getCause());
            assertArrayEquals(new Throwable[] {it.closeError}, boom.getSuppressed());
        }
    }

    @Test
    void cancellingTheLoopCancelsTheCurrentBodyAndStillCloses() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            ListIterator it = new ListIterator(f, List.of("a", "b"), log);
            List<Future<Void>> bodies = new ArrayList<>();

            Future<Void> done = Async.forEach(it, x -> {
                Future<Void> sleep = Async.sleep(Duration.ofSeconds(60));
                bodies.add(sleep);
                return sleep;
            });
            f.loop.runUntilComplete(f.later(50, null));
            assertEquals(1, bodies.size());
            done.cancel("enough");
            f.iterate(5);
            assertFalse(done.isDone(), "waiting for the close");

            f.loop.runUntilComplete(f.later(200, null));

            assertTrue(bodies.get(0).isCancelled());
            assertTrue(done.isCancelled());
            assertEquals("enough", assertThrows(CancellationException.class, done::result).getMessage());
            assertEquals(List.of("close", "closed"), log);
            assertEquals(1, it.nexts);
            assertEquals(0, f.loop.timerCount());
        }
    }

    @Test
    void cancellingTheLoopWhileItWaitsForNextCancelsTheNext() {
        try (FakeLoop f = new FakeLoop()) {
            List<Future<Optional<String>>> nexts = new ArrayList<>();
            AsyncIterator<String> it = () -> {
                Future<Optional<String>> n = f.loop.createFuture();
                nexts.add(n);
                return n;
            };

            Future<Void> done = Async.forEach(it, x -> Async.completed(null));
            done.cancel();
            f.iterate(5);

            assertTrue(nexts.get(0).isCancelled());
            assertTrue(done.isCancelled());
        }
    }

    @Test
    void aLongIteratorOfCompletedFuturesDoesNotGrowTheStack() {
        try (FakeLoop f = new FakeLoop()) {
            int n = 200_000;
            int[] i = {0};
            long[] sum = {0};
            AsyncIterator<Integer> it = () -> Async.completed(i[0] < n ? Optional.of(i[0]++) : Optional.empty());

            f.loop.runUntilComplete(Async.forEach(it, x -> {
                sum[0] += x;
                return Async.completed(null);
            }));

            assertEquals((long) n * (n - 1) / 2, sum[0]);
        }
    }
}
