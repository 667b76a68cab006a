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
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Async#generate}: asyncio's async generators. */
class GenerateTest {

    /** {@code for i in range(from, to): yield i}, recording each emit. */
    static Future<Void> count(Emitter<Integer> out, int from, int to, List<String> log) {
        if (from == to) {
            return Async.completed(null);
        }
        log.add("emit " + from);
        return out.emit(from).then(ignored -> count(out, from + 1, to, log));
    }

    private static void assertNothingLeft(FakeLoop f) {
        f.iterate(3);
        assertEquals(List.of(), f.loop.allTasks(), "no task left behind");
        assertEquals(0, f.loop.timerCount(), "no timer left behind");
        assertEquals(0, f.loop.readyCount(), "no callback left behind");
        assertEquals(List.of(), f.errors, "nothing reported to the exception handler");
    }

    @Test
    void theProducerStartsOnTheFirstNextNotBefore() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            AsyncIterator<Integer> gen = Async.generate(out -> {
                log.add("started");
                return count(out, 0, 3, log);
            });
            f.iterate(3);
            assertEquals(List.of(), log, "lazy, like calling an async generator function");

            Future<Optional<Integer>> first = gen.next();

            assertEquals(List.of("started", "emit 0"), log, "the producer ran inside next()");
            assertEquals(Optional.of(0), f.loop.runUntilComplete(first));
        }
    }

    @Test
    void valuesComeInOrderThenTheGeneratorIsExhaustedForGood() {
        try (FakeLoop f = new FakeLoop()) {
            AsyncIterator<Integer> gen = Async.generate(out -> count(out, 0, 3, new ArrayList<>()));

            List<Optional<Integer>> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(f.loop.runUntilComplete(gen.next()));
            }

            assertEquals(List.of(Optional.of(0), Optional.of(1), Optional.of(2), Optional.empty(), Optional.empty()), got);
            assertNothingLeft(f);
        }
    }

    @Test
    void theProducerIsNeverMoreThanOneValueAhead() {
        try (FakeLoop f = new FakeLoop()) {
            int[] nexts = {0};
            int[] emits = {0};
            List<String> violations = new ArrayList<>();
            AsyncIterator<Integer> gen = Async.generate(out -> Async.repeat(() -> {
                emits[0]++;
                if (emits[0] > nexts[0]) {
                    violations.add("emit " + emits[0] + " after only " + nexts[0] + " next()");
                }
                return out.emit(emits[0]).map(ignored -> emits[0] < 10);
            }));

            for (int i = 1; i <= 5; i++) {
                nexts[0]++;
                assertEquals(Optional.of(i), f.loop.runUntilComplete(gen.next()));
                f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(1))); // a slow consumer
                assertEquals(i, emits[0], "the producer waits in emit while the consumer is busy");
            }

            assertEquals(List.of(), violations);
            f.loop.runUntilComplete(gen.closeAsync());
            assertNothingLeft(f);
        }
    }

    @Test
    void emitCompletesOnlyWhenTheConsumerAsksForTheNextValue() {
        try (FakeLoop f = new FakeLoop()) {
            List<Future<Void>> emits = new ArrayList<>();
            AsyncIterator<String> gen = Async.generate(out -> {
                Future<Void> e = out.emit("a");
                emits.add(e);
                return e;
            });
            f.loop.runUntilComplete(gen.next());
            f.iterate(5);
            assertFalse(emits.get(0).isDone());

            Future<Optional<String>> second = gen.next();

            assertTrue(emits.get(0).isDone());
            assertEquals(Optional.empty(), f.loop.runUntilComplete(second));
        }
    }

    @Test
    void closeAsyncWhileSuspendedCancelsTheEmitAndRunsTheProducersCleanup() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            List<Future<?>> producer = new ArrayList<>();
            AsyncIterator<Integer> gen = Async.generate(out -> {
                Future<Void> p = count(out, 0, 100, log).ensure(() -> f.later(500, null).ensure(() -> log.add("cleanup done")));
                producer.add(p);
                return p;
            });
            assertEquals(Optional.of(0), f.loop.runUntilComplete(gen.next()));
            assertEquals(Optional.of(1), f.loop.runUntilComplete(gen.next()));
            long start = f.clock.nanoTime();

            Future<Void> closed = gen.closeAsync();
            f.loop.runUntilComplete(closed);

            assertEquals(List.of("emit 0", "emit 1", "cleanup done"), log);
            assertEquals(500, f.elapsedMillis(start), "closeAsync waited for the producer's cleanup");
            assertTrue(producer.get(0).isCancelled(), "the producer ended with the cancellation from its emit");
            assertSame(closed, gen.closeAsync(), "closing again gives the same close");
            assertEquals(Optional.empty(), f.loop.runUntilComplete(gen.next()));
            assertNothingLeft(f);
        }
    }

    @Test
    void closeAsyncFailsWithAFailureOfTheProducersCleanup() {
        try (FakeLoop f = new FakeLoop()) {
            IOException cleanupFailed = new IOException("cleanup failed");
            AsyncIterator<Integer> gen = Async.generate(out -> count(out, 0, 10, new ArrayList<>())
                    .ensure(() -> Async.failed(cleanupFailed)));
            f.loop.runUntilComplete(gen.next());

            Future<Void> closed = gen.closeAsync();

            assertSame(cleanupFailed, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(closed)).getCause());
        }
    }

    @Test
    void closingBeforeTheStartMeansTheProducerNeverRuns() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            AsyncIterator<Integer> gen = Async.generate(out -> {
                log.add("started");
                return count(out, 0, 3, log);
            });

            f.loop.runUntilComplete(gen.closeAsync());

            assertEquals(Optional.empty(), f.loop.runUntilComplete(gen.next()));
            assertEquals(List.of(), log);
        }
    }

    @Test
    void aFailureInsideTheProducerReachesTheConsumer() {
        try (FakeLoop f = new FakeLoop()) {
            IOException boom = new IOException("boom");
            AsyncIterator<Integer> gen = Async.generate(out -> out.emit(1).then(ignored -> f.failingLater(100, boom)));

            assertEquals(Optional.of(1), f.loop.runUntilComplete(gen.next()));
            Future<Optional<Integer>> second = gen.next();

            assertSame(boom, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(second)).getCause());
            assertEquals(Optional.empty(), f.loop.runUntilComplete(gen.next()), "after the failure: exhausted");
            assertNothingLeft(f);
        }
    }

    @Test
    void aProducerThatFailsWithoutWaitingForItsEmitFailsTheNextNext() {
        try (FakeLoop f = new FakeLoop()) {
            IOException boom = new IOException("boom");
            AsyncIterator<Integer> gen = Async.generate(out -> {
                out.emit(1);
                return Async.failed(boom);
            });

            assertEquals(Optional.of(1), f.loop.runUntilComplete(gen.next()));
            f.iterate(3);

            assertSame(boom, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(gen.next())).getCause());
        }
    }

    @Test
    void aProducerThatThrowsFailsTheFirstNext() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException boom = new IllegalStateException("no");
            AsyncIterator<Integer> gen = Async.generate(out -> {
                throw boom;
            });

            assertSame(boom, assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(gen.next())));
            assertEquals(Optional.empty(), f.loop.runUntilComplete(gen.next()));
        }
    }

    @Test
    void cancellingAPendingNextCancelsWhatTheProducerAwaitsAndLeavesNothingBehind() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            List<Future<Void>> sleeps = new ArrayList<>();
            AsyncIterator<String> gen = Async.generate(out -> out.emit("first").then(ignored -> {
                Future<Void> sleep = Async.sleep(Duration.ofSeconds(60));
                sleeps.add(sleep);
                return sleep;
            }).then(ignored -> out.emit("never")).ensure(() -> log.add("producer cleanup")));
            Task<Optional<String>> consumer = f.loop.createTask("consumer",
                    () -> gen.next().then(first -> {
                        log.add("got " + first.get());
                        return gen.next();
                    }));
            f.iterate(5);
            assertEquals(1, sleeps.size(), "the producer is awaiting its sleep");
            assertEquals(1, f.loop.timerCount());

            consumer.cancel("consumer gone");
            f.iterate(10); // the cancel comes back out through six continuations

            assertTrue(sleeps.get(0).isCancelled(), "the cancel reached what the producer awaited");
            assertTrue(consumer.isCancelled());
            assertEquals(List.of("got first", "producer cleanup"), log);
            assertEquals(Optional.empty(), f.loop.runUntilComplete(gen.next()), "the generator is finished");
            f.loop.runUntilComplete(gen.closeAsync());
            assertNothingLeft(f);
        }
    }

    @Test
    void cancellingTheFirstNextCancelsTheStartedProducer() {
        try (FakeLoop f = new FakeLoop()) {
            List<Future<String>> waits = new ArrayList<>();
            AsyncIterator<String> gen = Async.generate(out -> {
                Future<String> w = f.loop.createFuture();
                waits.add(w);
                return w.then(out::emit);
            });

            Future<Optional<String>> next = gen.next();
            assertTrue(next.cancel());
            f.iterate(3);

            assertTrue(waits.get(0).isCancelled());
            assertTrue(next.isCancelled());
            assertNothingLeft(f);
        }
    }

    @Test
    void aValueWhoseConsumerWasCancelledBeforeItResumedIsHandedOutAgain() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> ready = f.loop.createFuture();
            List<String> log = new ArrayList<>();
            AsyncIterator<String> gen = Async.generate(out -> ready.then(v -> {
                log.add("emit " + v);
                return out.emit(v);
            }));
            Task<Optional<String>> consumer = f.loop.createTask(() -> gen.next());
            f.iterate(2);

            ready.complete("v");
            f.iterate(1); // the producer emits: the next() has its value, the consumer has not resumed
            assertEquals(List.of("emit v"), log);
            consumer.cancel();
            f.iterate(2);

            assertTrue(consumer.isCancelled());
            assertEquals(Optional.of("v"), f.loop.runUntilComplete(gen.next()), "the value was not lost");
            assertEquals(List.of("emit v"), log, "the producer was not resumed for it");
            assertEquals(Optional.empty(), f.loop.runUntilComplete(gen.next()));
        }
    }

    @Test
    void aProducerThatIgnoresTheCloseMakesCloseAsyncFail() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            AsyncIterator<Integer> gen = Async.generate(out -> out.emit(1)
                    .recover(CancellationException.class, e -> {
                        log.add("caught the close");
                        return out.emit(2);
                    }));
            f.loop.runUntilComplete(gen.next());

            Future<Void> closed = gen.closeAsync();

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(closed));
            assertTrue(e.getMessage().contains("ignored the close"), e.getMessage());
            assertEquals(List.of("caught the close"), log);
            assertEquals(Optional.empty(), f.loop.runUntilComplete(gen.next()));
        }
    }

    @Test
    void aSecondNextWhileOneIsPendingIsRefused() {
        try (FakeLoop f = new FakeLoop()) {
            AsyncIterator<Integer> gen = Async.generate(out -> f.later(100, 7).then(out::emit));
            Future<Optional<Integer>> first = gen.next();

            IllegalStateException e = assertThrows(IllegalStateException.class, gen::next);

            assertTrue(e.getMessage().contains("already running"), e.getMessage());
            assertEquals(Optional.of(7), f.loop.runUntilComplete(first), "the first next() is unaffected");
            assertThrows(IllegalStateException.class, () -> {
                Future<Optional<Integer>> pending = gen.next();
                assertFalse(pending.isDone());
                gen.closeAsync();
            }, "closing while a next() is pending is refused too");
        }
    }

    @Test
    void emitOfNullIsRefusedByName() {
        try (FakeLoop f = new FakeLoop()) {
            AsyncIterator<String> gen = Async.generate(out -> out.emit(null));

            NullPointerException e = assertThrows(NullPointerException.class, () -> f.loop.runUntilComplete(gen.next()));

            assertTrue(e.getMessage().contains("emit(null)"), e.getMessage());
        }
    }

    @Test
    void emittingTwiceWithoutWaitingIsRefused() {
        try (FakeLoop f = new FakeLoop()) {
            List<Throwable> refused = new ArrayList<>();
            AsyncIterator<String> gen = Async.generate(out -> {
                Future<Void> first = out.emit("a");
                try {
                    out.emit("b");
                } catch (IllegalStateException e) {
                    refused.add(e);
                }
                return first;
            });

            assertEquals(Optional.of("a"), f.loop.runUntilComplete(gen.next()));
            assertEquals(1, refused.size());
            assertInstanceOf(IllegalStateException.class, refused.get(0));
        }
    }

    @Test
    void forEachOverAGeneratorTakesEveryValueAndFinishesTheProducer() {
        try (FakeLoop f = new FakeLoop()) {
            List<Integer> got = new ArrayList<>();

            f.loop.runUntilComplete(Async.forEach(Async.<Integer>generate(out -> count(out, 0, 5, new ArrayList<>())), x -> {
                got.add(x);
                return Async.sleep(Duration.ofMillis(10));
            }));

            assertEquals(List.of(0, 1, 2, 3, 4), got);
            assertNothingLeft(f);
        }
    }

    @Test
    void aBodyFailureInForEachClosesTheGeneratorAndRunsItsCleanup() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            IOException boom = new IOException("body failed");
            AsyncIterator<Integer> gen = Async.generate(out -> count(out, 0, 1000, log).ensure(() -> log.add("cleanup")));

            Future<Void> loop = Async.forEach(gen, x -> x == 2 ? Async.failed(boom) : Async.completed(null));

            assertSame(boom, assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(loop)).getCause());
            assertEquals(List.of("emit 0", "emit 1", "emit 2", "cleanup"), log);
            assertNothingLeft(f);
        }
    }

    @Test
    void aGeneratorOfManyValuesDoesNotGrowTheStack() {
        try (FakeLoop f = new FakeLoop()) {
            int n = 200_000;
            long[] sum = {0};
            AsyncIterator<Integer> gen = Async.generate(out -> {
                int[] i = {0};
                return Async.repeat(() -> out.emit(i[0]++).map(ignored -> i[0] < n));
            });

            f.loop.runUntilComplete(Async.forEach(gen, x -> {
                sum[0] += x;
                return Async.completed(null);
            }));

            assertEquals((long) n * (n - 1) / 2, sum[0]);
        }
    }
}
