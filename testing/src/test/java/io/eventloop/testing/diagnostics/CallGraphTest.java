package io.eventloop.testing.diagnostics;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.CallGraph;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ReturnWhen;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.sync.AsyncQueue;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CallGraph}: who awaits whom, drawn as asyncio's {@code pstree} draws it, on
 * {@code @EventLoopTest}'s fake time (so the timers' time left is exact). Debug mode is off in most
 * tests, so the trees have no creation sites (line numbers) in them.
 */
@EventLoopTest(debug = false)
class CallGraphTest {
    /** The tree without its first line, which names the loop by its hash. */
    private static List<String> tree(CallGraph graph) {
        List<String> lines = Arrays.asList(graph.toString().split("\n"));
        return lines.subList(1, lines.size());
    }

    private static Future<Void> sleep(long seconds) {
        return Async.sleep(Duration.ofSeconds(seconds));
    }

    @Test
    void aTaskGroupAGatherAndNestedAwaitsShowWhoAwaitsWhom(EventLoop loop) {
        AsyncQueue<String> queue = new AsyncQueue<>(0);
        Task<Object> main = loop.createTask("main", () -> TaskGroup.run(group -> {
            group.spawn("sleeper", () -> sleep(5));
            group.spawn("gatherer", () -> {
                Task<String> inner = loop.createTask("inner", queue::get);
                return Async.gather(sleep(3), inner).map(values -> null);
            });
            return Async.completed(null);
        }));
        runIterations(loop, 3);

        CallGraph graph = CallGraph.of(loop);

        assertTrue(graph.toString().startsWith("EventLoop 'CallGraphTest.aTaskGroupAGatherAndNestedAwaitsShowWhoAwaitsWhom'@"),
                graph::toString);
        assertTrue(graph.toString().split("\n")[0].endsWith("[idle], 4 tasks"), graph::toString);
        assertEquals(List.of(
                "└── (T) main",
                "    └── Future[TaskGroup[running, children=2], pending]",
                "        ├── (T) sleeper",
                "        │   └── Future[sleep, pending] (a timer completes it in 5.000 s)",
                "        └── (T) gatherer",
                "            └── Future[gather of 2, pending]",
                "                ├── Future[sleep, pending] (a timer completes it in 3.000 s)",
                "                └── (T) inner",
                "                    └── AsyncQueue.get[pending]"), tree(graph));
        assertEquals(4, graph.taskCount());
        CallGraph.Node root = graph.roots().get(0);
        assertEquals("main", root.task());
        assertEquals(List.of("sleeper", "gatherer"),
                root.children().get(0).children().stream().map(CallGraph.Node::task).toList());
        main.cancel();
        queue.offer("unblocks inner");
    }

    @Test
    void aWaitThroughContinuationsOfOneTaskOnAnotherIsOneEdge(EventLoop loop) {
        Future<String> never = loop.createFuture();
        Task<String> c = loop.createTask("c", () -> never);
        Task<String> b = loop.createTask("b", () -> sleep(1).then(v -> c).map(s -> s + "!"));
        Task<String> a = loop.createTask("a", () -> Async.yieldNow().then(v -> b).map(s -> s + "?"));
        assertCompletes(sleep(2));

        assertEquals(List.of(
                "└── (T) a",
                "    └── (T) b",
                "        └── (T) c",
                "            └── Future[pending]"), tree(CallGraph.of(loop)));
        never.complete("done");
        assertEquals("done!?", assertCompletes(a));
    }

    @Test
    void waitForWaitAndATaskAwaitedTwiceShowWhatTheyWaitOn(EventLoop loop) {
        Task<Void> shared = loop.createTask("shared", () -> sleep(10));
        Task<Void> first = loop.createTask("first", () -> Async.waitFor(shared, Duration.ofSeconds(60)));
        Task<Object> second = loop.createTask("second",
                () -> Async.wait(List.of(shared, sleep(20)), ReturnWhen.ALL_COMPLETED, null).map(r -> null));
        runIterations(loop, 2);

        List<String> tree = tree(CallGraph.of(loop));

        assertEquals(List.of(
                "├── (T) first",
                "│   └── Future[waitFor Task[shared, pending, waiting on Future[sleep, pending] (a timer completes it in 10.000 s)], pending]",
                "│       └── (T) shared",
                "│           └── Future[sleep, pending] (a timer completes it in 10.000 s)",
                "└── (T) second",
                "    └── Future[wait ALL_COMPLETED of 2, pending]",
                "        ├── (T) shared (shown above)",
                "        └── Future[sleep, pending] (a timer completes it in 20.000 s)"), tree);
        assertCompletes(Async.gather(first, second));
    }

    @Test
    void theTaskThatAsksIsRunningAndATaskNotStartedYetSaysSo(EventLoop loop) {
        Task<CallGraph> asker = loop.createTask("asker", () -> {
            loop.createTask("newborn", () -> Async.completed(null));
            return Async.completed(CallGraph.of(loop));
        });

        assertEquals(List.of("├── (T) asker (running)", "└── (T) newborn (not started)"), tree(assertCompletes(asker)));
    }

    @Test
    void aCancelledTaskStillUnwindingIsCancelling(EventLoop loop) {
        Task<Void> stubborn = loop.createTask("stubborn", () -> sleep(1)
                .recover(java.util.concurrent.CancellationException.class, e -> sleep(5)));
        runIterations(loop, 1);
        stubborn.cancel();
        runIterations(loop, 1);

        assertEquals(List.of(
                "└── (T) stubborn (cancelling)",
                "    └── Future[sleep, pending] (a timer completes it in 5.000 s)"), tree(CallGraph.of(loop)));
        assertCompletes(stubborn);
    }

    @Test
    @EventLoopTest
    void inDebugModeEachContinuationIsALevelWithWhereItWasCreated(EventLoop loop) {
        Task<Integer> worker = loop.createTask("worker", () -> sleep(1).map(v -> 1).then(n -> sleep(2).map(v -> n + 1)));
        assertCompletes(sleep(1));

        List<String> tree = tree(CallGraph.of(loop));

        assertEquals(4, tree.size(), tree::toString);
        assertTrue(tree.get(0).matches("└── \\(T\\) worker created at .*CallGraphTest\\.inDebugMode.*"), tree.get(0));
        assertTrue(tree.get(1).matches(" {4}└── Future\\[then, pending, created at .*CallGraphTest.*\\]"), tree.get(1));
        assertTrue(tree.get(2).matches(" {8}└── Future\\[map, pending, created at .*CallGraphTest.*\\]"), tree.get(2));
        assertTrue(tree.get(3).startsWith("            └── Future[sleep, pending"), tree.get(3));
        assertEquals(2, assertCompletes(worker));
    }
}
