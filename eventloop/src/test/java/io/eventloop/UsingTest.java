package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Async#using}: asyncio's {@code async with}. */
class UsingTest {

    /** A resource whose close takes {@code closeMillis} of loop time and may fail. */
    static final class Resource implements AsyncCloseable {
        final FakeLoop f;
        final List<String> log;
        final long closeMillis;
        final Throwable closeError;
        int closes;

        Resource(FakeLoop f, List<String> log, long closeMillis, Throwable closeError) {
            this.f = f;
            this.log = log;
            this.closeMillis = closeMillis;
            this.closeError = closeError;
        }

        @Override
        public Future<Void> closeAsync() {
            closes++;
            log.add("close started");
            Future<Void> done = closeError == null ? f.later(closeMillis, null) : f.failingLater(closeMillis, closeError);
            return done.ensure(() -> log.add("closed"));
        }
    }

    @Test
    void closesAfterTheBodySucceedsAndReturnsTheBodysValue() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 500, null);
            long start = f.clock.nanoTime();

            Future<String> u = Async.using(f.later(100, r), res -> {
                log.add("body with " + (res == r));
                return f.later(200, "value");
            });
            u.onDone(done -> log.add("result"));
            String value = f.loop.runUntilComplete(u);
            f.iterate(1);

            assertEquals("value", value);
            assertEquals(List.of("body with true", "close started", "closed", "result"), log);
            assertEquals(800, f.elapsedMillis(start), "open 100 + body 200 + close 500: the result waits for the close");
            assertEquals(1, r.closes);
        }
    }

    @Test
    void closesWhenTheBodyFailsAndFailsWithTheBodysFailure() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 10, null);
            IOException boom = new IOException("boom");

            Future<String> u = Async.using(Async.completed(r), res -> f.failingLater(100, boom));

            CompletionException e = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(u));
            assertSame(boom, e.getCause());
            assertEquals(0, boom.getSuppressed().length);
            assertEquals(List.of("close started", "closed"), log);
        }
    }

    @Test
    void closesWhenTheBodyThrowsInsteadOfReturningAFuture() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 10, null);
            IllegalArgumentException boom = new IllegalArgumentException("bad");

            Future<String> u = Async.using(Async.completed(r), res -> {
                throw boom;
            });

            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> f.loop.runUntilComplete(u)));
            assertEquals(1, r.closes);
        }
    }

    @Test
    void cancelDuringTheBodyCancelsTheBodyThenClosesThenEndsCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 300, null);
            List<Future<Void>> body = new ArrayList<>();

            Future<String> u = Async.using(Async.completed(r), res -> {
                Future<Void> sleep = Async.sleep(Duration.ofSeconds(60));
                body.add(sleep);
                return sleep.map(ignored -> "never");
            });
            u.onDone(done -> log.add("result"));
            f.iterate(3);
            assertEquals(1, body.size(), "the body runs");
            assertTrue(u.cancel("stop"));
            f.iterate(2);

            assertTrue(body.get(0).isCancelled(), "the cancel reached the body's sleep");
            assertFalse(u.isDone(), "still closing");
            assertEquals(List.of("close started"), log);
            f.loop.runUntilComplete(f.later(1000, null));

            assertTrue(u.isCancelled());
            assertEquals("stop", assertThrows(CancellationException.class, u::result).getMessage());
            assertEquals(List.of("close started", "closed", "result"), log);
            assertEquals(0, f.loop.timerCount(), "the 60 s sleep's timer is gone");
        }
    }

    @Test
    void cancelWhileOpeningCancelsTheOpenAndHasNothingToClose() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<Resource> opening = f.later(1000, new Resource(f, log, 10, null));

            Future<String> u = Async.using(opening, res -> {
                log.add("body");
                return Async.completed("x");
            });
            f.iterate(1);
            u.cancel();
            f.iterate(3);

            assertTrue(opening.isCancelled());
            assertTrue(u.isCancelled());
            assertEquals(List.of(), log, "no body, no close");
        }
    }

    @Test
    void cancelAfterTheOpenCompletedButBeforeTheBodyStartsStillCloses() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 10, null);
            Future<Resource> opening = f.loop.createFuture();
            Future<String> u = Async.using(opening, res -> {
                log.add("body");
                return Async.completed("x");
            });

            opening.complete(r); // the resource exists; the continuation has not run yet
            assertTrue(u.cancel());
            f.loop.runUntilComplete(f.later(100, null));

            assertTrue(u.isCancelled());
            assertEquals(List.of("close started", "closed"), log, "the body never ran, the resource was closed");
        }
    }

    @Test
    void anOpenThatFailsHasNothingToClose() {
        try (FakeLoop f = new FakeLoop()) {
            IOException refused = new IOException("refused");
            List<String> log = new ArrayList<>();

            Future<String> u = Async.using(f.failingLater(10, refused), res -> {
                log.add("body");
                return Async.completed("x");
            });

            assertSame(refused, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(u)).getCause());
            assertEquals(List.of(), log);
        }
    }

    @Test
    void aCloseFailureWinsOverTheBodysValue() {
        try (FakeLoop f = new FakeLoop()) {
            IOException closeError = new IOException("close failed");
            Resource r = new Resource(f, new ArrayList<>(), 10, closeError);

            Future<String> u = Async.using(Async.completed(r), res -> Async.completed("value"));

            assertSame(closeError, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(u)).getCause());
        }
    }

    @Test
    void whenBothFailTheBodysFailureWinsWithTheCloseFailureSuppressed() {
        try (FakeLoop f = new FakeLoop()) {
            IOException closeError = new IOException("close failed");
            IOException bodyError = new IOException("body failed");
            Resource r = new Resource(f, new ArrayList<>(), 10, closeError);

            Future<String> u = Async.using(Async.completed(r), res -> Async.failed(bodyError));

            assertSame(bodyError, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(u)).getCause());
            assertArrayEquals(new Throwable[] {closeError}, bodyError.getSuppressed());
        }
    }

    @Test
    void aCancelledBodyWithAFailingCloseEndsCancelledWithTheCloseFailureSuppressed() {
        try (FakeLoop f = new FakeLoop()) {
            IOException closeError = new IOException("close failed");
            Resource r = new Resource(f, new ArrayList<>(), 10, closeError);

            Future<String> u = Async.using(Async.completed(r), res -> Async.sleep(Duration.ofSeconds(5), "x"));
            f.iterate(2);
            u.cancel("stop");
            f.loop.runUntilComplete(f.later(100, null));

            assertTrue(u.isCancelled());
            CancellationException c = assertThrows(CancellationException.class, u::result);
            assertArrayEquals(new Throwable[] {closeError}, c.getSuppressed());
        }
    }

    @Test
    void aCloseThatThrowsFailsTheResult() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException boom = new IllegalStateException("cannot close");
            AsyncCloseable r = () -> {
                throw boom;
            };

            Future<String> u = Async.using(r, res -> Async.completed("value"));

            assertSame(boom, assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(u)));
        }
    }

    @Test
    void usingAnOpenResourceRunsTheBodyAtOnceThenCloses() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 10, null);

            Future<Integer> u = Async.using(r, res -> {
                log.add("body");
                return Async.completed(42);
            });
            assertEquals(List.of("body"), log, "the body ran inside using()");

            assertEquals(42, f.loop.runUntilComplete(u));
            assertEquals(List.of("body", "close started", "closed"), log);
        }
    }

    @Test
    void aBodyThatReturnsNullFailsAndStillCloses() {
        try (FakeLoop f = new FakeLoop()) {
            Resource r = new Resource(f, new ArrayList<>(), 10, null);

            Future<String> u = Async.using(r, res -> null);

            NullPointerException e = assertThrows(NullPointerException.class, () -> f.loop.runUntilComplete(u));
            assertTrue(e.getMessage().contains("body returned null"), e.getMessage());
            assertEquals(1, r.closes);
        }
    }

    @Test
    void aCancelDuringTheCloseReachesTheClose() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 1000, null);

            Future<String> u = Async.using(r, res -> Async.completed("value"));
            f.iterate(3);
            assertEquals(List.of("close started"), log);
            u.cancel();
            f.iterate(3);

            assertTrue(u.isCancelled(), "as a cancel reaches __aexit__ in asyncio");
            assertEquals(List.of("close started", "closed"), log);
        }
    }

    @Test
    void aTimeoutAroundUsingClosesTheResourceThenFailsWithTimeoutException() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Resource r = new Resource(f, log, 200, null);
            long start = f.clock.nanoTime();

            Future<String> scoped = Async.timeout(Duration.ofSeconds(1),
                    () -> Async.using(r, res -> Async.sleep(Duration.ofSeconds(60), "late")));

            assertInstanceOf(java.util.concurrent.TimeoutException.class,
                    assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(scoped)).getCause());
            assertEquals(List.of("close started", "closed"), log);
            assertEquals(1200, f.elapsedMillis(start), "the deadline at 1 s, then the 200 ms close");
        }
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        try (FakeLoop f = new FakeLoop()) {
            Resource r = new Resource(f, new ArrayList<>(), 10, null);
            assertTrue(assertThrows(NullPointerException.class,
                    () -> Async.using((Resource) null, res -> Async.completed(1))).getMessage().contains("resource"));
            assertTrue(assertThrows(NullPointerException.class,
                    () -> Async.using(r, null)).getMessage().contains("body"));
            assertInstanceOf(NullPointerException.class, assertThrows(NullPointerException.class,
                    () -> Async.using((Future<Resource>) null, res -> Async.completed(1))));
        }
    }
}
