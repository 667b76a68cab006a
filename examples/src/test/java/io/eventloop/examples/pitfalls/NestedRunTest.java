package io.eventloop.examples.pitfalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NestedRunTest {
    @Test
    void nestedRunsAndABlockingJoinOnTheLoopThreadFailAtOnceWithMessagesThatSayWhatToDo() throws Exception {
        Output out = Output.of(() -> NestedRun.main(new String[0]));
        assertEquals(3, out.parts.size(), out.all);

        List<String> lines = out.part(1, "mistake: nested runs").lines().skip(1).toList();
        assertEquals(5, lines.size(), out.all);
        assertEquals("EventLoop.run(...) inside main -> IllegalStateException: EventLoop.run() cannot be called"
                + " from a running event loop; inside the loop, use createTask or then(...)", lines.get(0));
        assertTrue(lines.get(1).matches("loop\\.runUntilComplete\\(\\.\\.\\.\\) inside main -> IllegalStateException: "
                + "EventLoop@\\w+\\[running] is already running"), lines.get(1));
        assertTrue(lines.get(2).matches("new EventLoop\\(\\)\\.runUntilComplete\\(\\.\\.\\.\\) inside main -> "
                + "IllegalStateException: cannot run EventLoop@\\w+\\[idle] while EventLoop@\\w+\\[running] runs on this thread"),
                lines.get(2));
        assertEquals("other().toCompletableFuture().join() on the loop thread -> IllegalStateException: "
                + "CompletableFuture.join() on the event loop thread would block the loop that has to complete it"
                + " (deadlock); on the loop, wait with Future.then(...) instead", lines.get(3));
        assertEquals("main done", lines.get(4));

        String fix = out.part(2, "fix: one EventLoop.run");
        Output.assertNoReport(out.all);
        assertTrue(fix.strip().endsWith("\nmain done, other done"), fix);
    }
}
