package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The loop's Java Flight Recorder events appear in a recording. */
class JfrEventsTest {

    @Test
    void taskLifecycleAndSlowCallbackEventsAreRecorded() throws Exception {
        FakeClock clock = new FakeClock();
        Path file = Files.createTempFile("eventloop", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("io.eventloop.TaskCreated");
            r.enable("io.eventloop.TaskDone");
            r.enable("io.eventloop.SlowCallback").withThreshold(Duration.ZERO);
            r.start();
            try (EventLoop loop = new EventLoop(EventLoop.Options.defaults().debug(true).watchdog(null), clock,
                    new FakePoller(clock))) {
                loop.setExceptionHandler((l, c) -> { });
                Task<String> ok = loop.createTask("fine", () -> Async.completed("v"));
                Task<String> bad = loop.createTask("broken", () -> Async.failed(new IllegalStateException("x")));
                Task<String> slow = loop.createTask("slow", () -> {
                    clock.advanceMillis(200);
                    return Async.completed("late");
                });
                loop.runUntilComplete(Async.gatherSettled(List.of(ok, bad, slow)));
            }
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.deleteIfExists(file);
        Map<String, List<RecordedEvent>> byType = events.stream()
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        List<String> created = byType.get("io.eventloop.TaskCreated").stream().map(e -> e.getString("name")).sorted().toList();
        assertEquals(List.of("broken", "fine", "slow"), created);
        assertTrue(byType.get("io.eventloop.TaskCreated").get(0).getString("site").contains("JfrEventsTest"));
        Map<String, String> outcomes = byType.get("io.eventloop.TaskDone").stream()
                .collect(Collectors.toMap(e -> e.getString("name"), e -> e.getString("outcome")));
        assertEquals(Map.of("fine", "succeeded", "broken", "failed", "slow", "succeeded"), outcomes);
        List<RecordedEvent> slowEvents = byType.get("io.eventloop.SlowCallback");
        assertEquals(1, slowEvents.size());
        assertTrue(slowEvents.get(0).getString("callback").startsWith("Task 'slow' created at"));
        assertEquals(200_000_000L, slowEvents.get(0).getDuration("took").toNanos());
    }
}
