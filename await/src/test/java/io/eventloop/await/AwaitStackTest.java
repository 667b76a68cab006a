package io.eventloop.await;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;

/** The body's stack: flat across any number of awaits, as deep as the thread's while it runs. */
@EventLoopTest
class AwaitStackTest {

    private static int depth() {
        return StackWalker.getInstance().walk(s -> (int) s.count());
    }

    /** Debug mode off: its creation site per future is a stack walk, a million times. */
    @EventLoopTest(timeoutMillis = 120_000, debug = false)
    Future<?> aMillionSequentialAwaitsDoNotGrowTheStack(EventLoop loop) {
        return async(() -> {
            await(Async.yieldNow());
            int first = depth();
            long sum = 0;
            for (int i = 0; i < 1_000_000; i++) {
                Future<Integer> f = loop.createFuture();
                int n = i;
                loop.callSoon(() -> f.complete(n)); // pending at the await: each one suspends
                sum += await(f);
                if (i % 1000 == 0 && depth() != first) { // a stack walk costs microseconds: every 1000th
                    assertEquals(first, depth(), "stack depth after await " + i);
                }
            }
            assertEquals(999_999L * 1_000_000L / 2, sum);
            return null;
        });
    }

    /** Awaits at every level on the way down and on the way up. */
    private static int descend(int level) {
        if (level == 0) {
            return await(Async.sleep(Duration.ofMillis(1), 0));
        }
        await(Async.yieldNow());
        int below = descend(level - 1);
        await(Async.yieldNow());
        return below + 1;
    }

    @EventLoopTest(timeoutMillis = 120_000)
    Future<?> deepRecursionInsideABodySuspendsAndResumesAtEveryLevel(EventLoop loop) {
        return async(() -> {
            assertEquals(5_000, descend(5_000));
            return null;
        });
    }
}
