package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#createSteppedTask}: a task driven step by step, as asyncio's Task drives a coroutine. */
class SteppedTaskTest {

    /** Awaits each of {@code awaits} in turn, logging what each step received; ends with the step count. */
    private static class Script implements Task.Stepper<Integer> {
        final List<String> log = new ArrayList<>();
        final List<Future<?>> awaits;
        int steps;

        Script(List<Future<?>> awaits) {
            this.awaits = awaits;
        }

        @Override
        public Future<?> step(Object value, Throwable failure) throws Exception {
            log.add(failure == null ? "value " + value : "failure " + failure.getClass().getSimpleName());
            if (failure != null && !(failure instanceof CancellationException)) {
                throw new IllegalStateException("rethrown");
            }
            return steps < awaits.size() ? awaits.get(steps++) : null;
        }

        @Override
        public Integer value() {
            return steps;
        }
    }

    @Test
    void eachStepReceivesTheOutcomeOfWhatThePreviousOneReturned() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Script s = new Script(List.of(a, Async.sleep(Duration.ofSeconds(1), "slept")));
            Task<Integer> t = f.loop.createSteppedTask("script", s);
            assertEquals(List.of(), s.log, "the first step runs on a later iteration");
            f.iterate(1);
            assertTrue(t.toString().contains("waiting on"), t.toString());
            a.complete("a");
            assertEquals(2, f.loop.runUntilComplete(t));
            assertEquals(List.of("value null", "value a", "value slept"), s.log);
            assertEquals("script", t.name());
        }
    }

    @Test
    void cancellingTheTaskCancelsWhatTheStepAwaitsAndTheNextStepSeesTheCancellation() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Script s = new Script(List.of(a));
            Task<Integer> t = f.loop.createSteppedTask(null, s);
            f.iterate(1);
            t.cancel();
            assertTrue(a.isCancelled());
            assertEquals(1, f.loop.runUntilComplete(t), "the step went on after the cancellation and ended");
            assertEquals(List.of("value null", "failure CancellationException"), s.log);
        }
    }

    @Test
    void aCancelAfterTheAwaitedFutureCompletedReachesTheNextStepInsteadOfTheValue() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Script s = new Script(List.of(a));
            Task<Integer> t = f.loop.createSteppedTask(null, s);
            f.iterate(1);
            a.complete("too late");
            t.cancel();
            f.loop.runUntilComplete(t);
            assertEquals(List.of("value null", "failure CancellationException"), s.log);
        }
    }

    @Test
    void aTaskCancelledBeforeItsFirstStepNeverSteps() {
        try (FakeLoop f = new FakeLoop()) {
            Script s = new Script(List.of());
            Task<Integer> t = f.loop.createSteppedTask(null, s);
            assertTrue(t.toString().contains("not started"), t.toString());
            t.cancel();
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));
            assertEquals(List.of(), s.log);
        }
    }

    @Test
    void aStepThatThrowsFailsTheTask() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Script s = new Script(List.of(a));
            Task<Integer> t = f.loop.createSteppedTask(null, s);
            f.iterate(1);
            a.fail(new IllegalStateException("awaited failed"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(t));
            assertEquals("rethrown", e.getMessage());
            assertEquals(List.of("value null", "failure IllegalStateException"), s.log);
        }
    }

    @Test
    void aStepThatReturnsADoneFutureStillYieldsToTheLoop() {
        try (FakeLoop f = new FakeLoop()) {
            Script s = new Script(List.of(Async.completed("x"), Async.completed("y")));
            Task<Integer> t = f.loop.createSteppedTask(null, s);
            f.iterate(1);
            assertEquals(List.of("value null"), s.log);
            f.iterate(1);
            assertEquals(List.of("value null", "value x"), s.log);
            assertEquals(2, f.loop.runUntilComplete(t));
        }
    }

    @Test
    void closingTheLoopLetsAPendingStepperGoAndReportsWhatItThrows() {
        List<String> log = new ArrayList<>();
        FakeLoop f = new FakeLoop();
        Future<String> never = f.loop.createFuture();
        Task<Integer> t = f.loop.createSteppedTask("held", new Task.Stepper<Integer>() {
            @Override
            public Future<?> step(Object value, Throwable failure) {
                return never;
            }

            @Override
            public Integer value() {
                return 0;
            }

            @Override
            public void abandoned() {
                log.add("abandoned");
                throw new IllegalStateException("cleanup failed");
            }
        });
        Task<Integer> finished = f.loop.createSteppedTask("finished", new Script(List.of()) {
            @Override
            public void abandoned() {
                log.add("finished abandoned");
            }
        });
        f.iterate(1);
        assertTrue(finished.isDone());
        f.close();
        assertEquals(List.of("abandoned"), log);
        assertEquals(List.of("Task was destroyed but it is pending",
                "closing the loop: a pending task failed to let go of its body"),
                f.errors.stream().map(ErrorContext::message).toList());
        assertSame(t, f.errors.get(1).task());
    }
}
