package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void fiveOneSecondSleepsGatheredTakeOneSecondOfLoopTime() {
        try (FakeLoop f = new FakeLoop()) {
            long start = f.clock.nanoTime();
            List<Future<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                jobs.add(Async.sleep(Duration.ofSeconds(1), "job " + i));
            }
            List<String> out = f.loop.runUntilComplete(Async.gather(jobs));
            assertEquals(List.of("job 0", "job 1", "job 2", "job 3", "job 4"), out);
            assertEquals(1000, f.elapsedMillis(start));
            assertTrue(f.errors.isEmpty(), f.errors::toString);
        }
    }

    @Test
    void cancellingATaskReachesItsSleepAndComesBackOut() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .map(v -> "not reached")
                    .ensure(() -> log.add("cleanup")));
            f.loop.callLater(Duration.ofSeconds(1), t::cancel);
            long start = f.clock.nanoTime();
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.isCancelled());
            assertEquals(List.of("cleanup"), log);
            assertEquals(1000, f.elapsedMillis(start));
            assertEquals(0, f.loop.allTasks().size());
        }
    }

    @Test
    void runReturnsMainsValueOnTheRealSelector() {
        String s = EventLoop.run(() -> Async.sleep(Duration.ofMillis(10)).map(v -> "hello"));
        assertEquals("hello", s);
    }
}
