package io.eventloop.examples.pitfalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NoAwaitTest {
    @Test
    void droppedFailuresAreReportedWithTheirNamesAndCreationSitesAndTheFixReportsNothing() throws Exception {
        Output out = Output.of(() -> NoAwait.main(new String[0]));
        assertEquals(3, out.parts.size(), out.all);
        assertEquals("", out.parts.get(0));

        String mistake = out.part(1, "mistake: a failing call nobody awaits");
        List<String> reports = Output.reports(mistake);
        assertEquals(2, reports.size(), mistake);
        String future = reports.get(0);
        assertTrue(future.startsWith("[main] ERROR io.eventloop.EventLoop - Future exception was never retrieved "
                + "future=Future[map, exception=java.lang.IllegalStateException: 503 from https://example.org/a, "
                + "created at io.eventloop.examples.pitfalls.NoAwait.fetch(NoAwait.java:"), future);
        String task = reports.get(1);
        assertTrue(task.startsWith("[main] ERROR io.eventloop.EventLoop - Task exception was never retrieved "
                + "task=Task[fetch b, exception=java.lang.IllegalStateException: 503 from https://example.org/b, "
                + "created at io.eventloop.examples.pitfalls.NoAwait.lambda$mistake$"), task);
        assertTrue(mistake.strip().endsWith("\nmain done"), mistake);

        String fix = out.part(2, "fix: await both");
        Output.assertNoReport(fix);
        assertEquals("fix: await both and handle the failure\nmain done: [fallback for a, fallback for b]", fix.strip());
    }
}
