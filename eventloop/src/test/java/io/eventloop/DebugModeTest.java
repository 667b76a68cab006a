package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.sync.AsyncLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debug mode: slow callbacks, creation sites, unretrieved failures at idle, shutdown reports. */
class DebugModeTest {
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final FakeClock clock = new FakeClock();
    private final FakePoller poller = new FakePoller(clock);
    private final List<ErrorContext> errors = new ArrayList<>();
    /** What the default handler would log for each error, taken when it was reported. */
    private final List<String> reports = new ArrayList<>();
    private EventLoop loop;

    @BeforeEach
    void setUp() {
        Diagnostics.tap = warnings::add;
    }

    @AfterEach
    void tearDown() {
        Diagnostics.tap = null;
        if (loop != null && !loop.isClosed()) {
            loop.close();
        }
    }

    private EventLoop loop(boolean debug) {
        loop = new EventLoop(EventLoop.Options.defaults().debug(debug).watchdog(null), clock, poller);
        loop.setExceptionHandler((l, c) -> {
            errors.add(c);
            reports.add(c.toString());
        });
        return loop;
    }

    private void iterate(int n) {
        for (int i = 0; i < n; i++) {
            loop.stop();
            loop.runForever();
        }
    }

    @Test
    void aSlowTaskStepIsLoggedWithTheTaskNameAndWhereItWasCreated() {
        loop(true);
        loop.createTask("slowpoke", () -> {
            clock.advanceMillis(153);
            return Async.completed(null);
        });
        iterate(2);
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("Executing Task 'slowpoke' created at io.eventloop.DebugModeTest."), w);
        assertTrue(w.contains("(DebugModeTest.java:"), w);
        assertTrue(w.endsWith(" took 0.153 seconds"), w);
    }

    @Test
    void aSlowPlainCallbackIsLoggedWithItsHandle() {
        loop(true);
        Runnable slow = new Runnable() {
            @Override
            public void run() {
                clock.advanceMillis(250);
            }

            @Override
            public String toString() {
                return "theSlowOne";
            }
        };
        loop.callSoon(slow);
        iterate(1);
        assertEquals(List.of("Executing Handle[theSlowOne] took 0.250 seconds"), warnings);
    }

    @Test
    void callbacksUnderTheThresholdAreNotLogged() {
        loop(true);
        loop.callSoon(() -> clock.advanceMillis(99));
        loop.createTask("quick", () -> Async.sleep(Duration.ofSeconds(5)));
        iterate(4);
        assertEquals(List.of(), warnings);
    }

    @Test
    void withoutDebugModeSlowCallbacksAreNotLoggedAndNoSiteIsRecorded() {
        loop(false);
        Task<Object> t = loop.createTask("slowpoke", () -> {
            clock.advanceMillis(500);
            return Async.completed(null);
        });
        iterate(2);
        assertEquals(List.of(), warnings);
        assertNull(t.site);
        assertNull(loop.createFuture().site);
    }

    @Test
    void aFutureFromCreateFutureRecordsItsCreationSiteInDebugMode() {
        loop(true);
        Future<String> f = loop.createFuture();
        assertNotNull(f.site);
        assertEquals(DebugModeTest.class.getName(), f.site.getClassName());
        assertEquals("aFutureFromCreateFutureRecordsItsCreationSiteInDebugMode", f.site.getMethodName());
    }

    @Test
    void aFailureNobodyRetrievedIsReportedWhenTheLoopGoesIdle() {
        loop(true);
        Future<Void> gate = loop.createFuture();
        loop.setExceptionHandler((l, c) -> {
            errors.add(c);
            gate.complete(null); // lets runUntilComplete return instead of blocking for ever
        });
        loop.createTask("doomed", () -> Async.failed(new IllegalStateException("boom")));
        loop.runUntilComplete(gate);
        assertEquals(1, errors.size(), errors.toString());
        ErrorContext c = errors.get(0);
        assertEquals("Task exception was never retrieved", c.message());
        assertTrue(c.toString().startsWith("Task exception was never retrieved task=Task[doomed,"
                + " exception=java.lang.IllegalStateException: boom, created at io.eventloop.DebugModeTest."), c.toString());
        assertEquals("boom", c.exception().getMessage());
    }

    @Test
    void aFailedTaskHeldAcrossASleepAndThenAwaitedIsNotReported() {
        loop(true);
        Future<String> main = loop.createTask("main", () -> {
            Task<String> t = loop.createTask("fails", () -> Async.failed(new IllegalStateException("later")));
            return Async.sleep(Duration.ofSeconds(1)).then(v -> t).recover(IllegalStateException.class,
                    e -> Async.completed("caught " + e.getMessage()));
        });
        assertEquals("caught later", loop.runUntilComplete(main));
        loop.close();
        assertEquals(List.of(), errors);
        assertEquals(List.of(), warnings);
    }

    @Test
    void closeReportsAPendingSleepWithItsTimeLeft() {
        loop(true);
        loop.createTask("sleeper", () -> Async.sleep(Duration.ofSeconds(10)).map(v -> "woke"));
        iterate(1);
        clock.advanceMillis(3000);
        loop.close();
        assertEquals(1, reports.size(), reports.toString());
        String m = reports.get(0);
        assertTrue(m.startsWith("Task was destroyed but it is pending task=Task[sleeper, pending, created at"
                + " io.eventloop.DebugModeTest."), m);
        assertTrue(m.endsWith(", waiting on Future[sleep, pending] (a timer completes it in 7.000 s)]"), m);
    }

    @Test
    void closeReportsATaskWaitingOnAnotherTaskAndOnALock() {
        loop(true);
        AsyncLock lock = new AsyncLock();
        Future<Void> never = loop.createFuture();
        lock.acquire();
        Task<Void> inner = loop.createTask("inner", () -> never);
        loop.createTask("outer", () -> inner.map(v -> null));
        loop.createTask("locker", () -> lock.acquire().map(v -> null));
        iterate(2);
        loop.close();
        List<String> messages = reports.stream().sorted().toList();
        assertEquals(3, messages.size(), messages.toString());
        assertTrue(messages.get(0).contains("task=Task[inner, pending, created at io.eventloop.DebugModeTest.")
                && messages.get(0).contains(", waiting on Future[pending, created at io.eventloop.DebugModeTest."),
                messages.get(0));
        assertTrue(messages.get(1).contains("task=Task[locker,") && messages.get(1).endsWith("waiting on AsyncLock.acquire[pending]]"),
                messages.get(1));
        assertTrue(messages.get(2).contains("task=Task[outer,") && messages.get(2).contains("waiting on Task 'inner' created at"),
                messages.get(2));
    }

    @Test
    void runWarnsInDebugModeAboutTasksLeftWhenMainReturns() {
        String v = EventLoop.run(EventLoop.Options.defaults().debug(true).watchdog(null), () -> {
            EventLoop.current().createTask("leftover", () -> Async.sleep(Duration.ofSeconds(60)));
            return Async.yieldNow().map(x -> "done");
        });
        assertEquals("done", v);
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("EventLoop.run(): main is done; cancelling Task[leftover, pending, created at"
                + " io.eventloop.DebugModeTest."), w);
        assertTrue(w.contains("waiting on Future[sleep, pending] (a timer completes it in "), w);
    }

    @Test
    void optionsCarryDebugSettingsAndRejectBadValues() {
        EventLoop.Options o = EventLoop.Options.defaults().debug(true);
        assertTrue(o.debug());
        assertEquals(Duration.ofMillis(100), o.slowCallbackDuration());
        assertEquals(Duration.ofSeconds(1), o.watchdog());
        assertNull(o.watchdog(null).watchdog());
        assertNull(o.debug(false).watchdog());
        assertEquals(Duration.ofMillis(5), o.debug(false).watchdog(Duration.ofMillis(5)).watchdog());
        assertEquals(Boolean.getBoolean("eventloop.debug"), EventLoop.Options.defaults().debug());
        assertThrows(IllegalArgumentException.class, () -> o.slowCallbackDuration(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> o.watchdog(Duration.ZERO));
        assertFalse(EventLoop.Options.defaults().debug(false).debug());
    }
}
