package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.simple.SimpleLogger;

/**
 * Where the loop's reports go with and without an SLF4J provider. Each case runs in a child JVM
 * ({@link ChildJvm}): this one has slf4j-simple bound, and SLF4J binds once per process.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a safety net only
class LoopLogTest {
    /**
     * The child: a loop in debug mode with a zero slow-callback threshold, so that every callback
     * makes a diagnostic warning; two callbacks throw, and a failure nobody retrieved is reported
     * at close.
     */
    static final class Reports {
        public static void main(String[] args) {
            EventLoop.Options options = EventLoop.Options.defaults().debug(true).watchdog(null)
                    .slowCallbackDuration(Duration.ZERO);
            try (EventLoop loop = new EventLoop(options)) {
                loop.callSoon(() -> {
                    throw new IllegalStateException("boom from a callback");
                });
                loop.callSoon(() -> {
                    throw new IllegalArgumentException("and another");
                });
                loop.callSoon(loop::stop);
                loop.runForever();
                loop.createFuture().fail(new IOException("dropped"));
            }
            System.out.println("the loop went on");
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void withNoSlf4jProviderAThrowingCallbackIsReportedOnStderrAfterOneNoteSayingWhy() throws Exception {
        ChildJvm.Output child = ChildJvm.run(null, Reports.class, List.of());
        String err = child.err();
        assertEquals(0, child.exitCode(), err);
        assertEquals("the loop went on\n", child.out());
        assertEquals(1, count(err, LoopLog.NOTE), err);
        assertTrue(err.indexOf(LoopLog.NOTE) < err.indexOf("[main] "), "the note comes first:\n" + err);
        assertTrue(err.contains("[main] ERROR io.eventloop.EventLoop - Exception in callback "), err);
        assertTrue(err.contains("java.lang.IllegalStateException: boom from a callback" + System.lineSeparator()
                + "\tat io.eventloop.LoopLogTest$Reports.lambda$main$0(LoopLogTest.java:"), err);
        assertTrue(err.contains("java.lang.IllegalArgumentException: and another"), err);
        assertTrue(err.contains("[main] WARN io.eventloop.EventLoop - Executing "), "debug mode's warnings too:\n" + err);
        assertTrue(err.contains("[main] ERROR io.eventloop.EventLoop - Future exception was never retrieved"), err);
    }

    @Test
    void withAProviderBoundTheReportsGoThroughItAndNoNoteIsPrinted() throws Exception {
        ChildJvm.Output child = ChildJvm.run(null, Reports.class, List.of(SimpleLogger.class));
        String err = child.err();
        assertEquals(0, child.exitCode(), err);
        assertFalse(err.contains("no SLF4J provider"), err);
        // slf4j-simple prints to stderr too, in the layout the fallback copies
        assertTrue(err.contains("[main] ERROR io.eventloop.EventLoop - Exception in callback "), err);
        assertTrue(err.contains("java.lang.IllegalStateException: boom from a callback"), err);
    }
}
