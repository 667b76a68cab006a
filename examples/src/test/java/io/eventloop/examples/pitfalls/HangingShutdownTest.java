package io.eventloop.examples.pitfalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HangingShutdownTest {
    private static final String SITE = "created at io.eventloop.examples.pitfalls.HangingShutdown.";

    @Test
    void forgottenTasksAreReportedAtShutdownWithNameSiteAndWhatTheyWaitOnAndTheFixesReportNothing()
            throws Exception {
        Output out = Output.of(() -> HangingShutdown.main(new String[0]));
        assertEquals(5, out.parts.size(), out.all);

        String close = out.part(1, "mistake: a ticker and a consumer nobody stops");
        List<String> reports = Output.reports(close);
        assertEquals(2, reports.size(), close);
        String prefix = "[main] ERROR io.eventloop.EventLoop - Task was destroyed but it is pending task=Task[";
        assertTrue(reports.get(0).startsWith(prefix + "consumer, pending, " + SITE + "mistakeClose(HangingShutdown.java:"), close);
        assertTrue(reports.get(0).endsWith(", waiting on AsyncQueue.get[pending]]"), close);
        assertTrue(reports.get(1).startsWith(prefix + "ticker, pending, " + SITE + "mistakeClose(HangingShutdown.java:"), close);
        assertTrue(reports.get(1).matches(".*, waiting on Future\\[sleep, pending] \\(a timer completes it in \\d+\\.\\d{3} s\\)]"), close);
        assertTrue(close.contains("\nwork done\n"), close);

        String run = out.part(2, "mistake: the same under EventLoop.run");
        reports = Output.reports(run);
        assertEquals(2, reports.size(), run);
        prefix = "[main] WARN io.eventloop.EventLoop - EventLoop.run(): main is done; cancelling Task[";
        assertTrue(reports.get(0).startsWith(prefix + "consumer, pending, " + SITE + "lambda$mistakeRun$"), run);
        assertTrue(reports.get(0).endsWith(", waiting on AsyncQueue.get[pending]]"), run);
        assertTrue(reports.get(1).startsWith(prefix + "ticker, pending, " + SITE + "lambda$mistakeRun$"), run);
        assertTrue(reports.get(1).contains(", waiting on Future[sleep, pending] (a timer completes it in "), run);

        for (int i = 3; i <= 4; i++) {
            String fix = out.part(i, "fix: ");
            Output.assertNoReport(fix);
            assertEquals("consumed job 1\nconsumed job 2\nwork done", fix.substring(fix.indexOf('\n') + 1).strip());
        }
    }
}
