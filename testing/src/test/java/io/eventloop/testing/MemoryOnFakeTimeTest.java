package io.eventloop.testing;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Connection;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A stream server with timeouts, tested over in-memory connections on fake time: minutes of protocol in milliseconds. */
@EventLoopTest
class MemoryOnFakeTimeTest {
    /** Greets, then answers each line until the client is silent for ten minutes. */
    static Future<Void> greeter(StreamReader reader, StreamWriter writer) {
        writer.write("hello\n");
        return Async.repeat(() -> Async.waitFor(reader.readLine(), Duration.ofMinutes(10))
                .map(line -> {
                    if (line == null) {
                        return false;
                    }
                    writer.write("you said " + line + "\n");
                    return true;
                })
                .recover(TimeoutException.class, e -> {
                    writer.write("idle for 10 minutes, bye\n");
                    return Async.completed(false);
                }));
    }

    @EventLoopTest
    Future<?> aSilentClientIsToldAndDisconnectedAfterTenMinutes(EventLoop loop, TestClock clock) {
        Connection c = MemoryConnection.streams(loop, MemoryOnFakeTimeTest::greeter);
        return c.reader().readLine().then(hello -> {
            assertEquals("hello", hello);
            return c.reader().readLine();
        }).then(bye -> {
            assertEquals("idle for 10 minutes, bye", bye);
            assertEquals(Duration.ofMinutes(10), clock.elapsed());
            return c.reader().readLine(); // then the server closes
        }).map(eof -> {
            assertNull(eof);
            return eof;
        });
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void aClientThatSpeaksJustInTimeIsKept(EventLoop loop, TestClock clock) {
        Connection c = MemoryConnection.streams(loop, MemoryOnFakeTimeTest::greeter,
                MemoryConnection.Options.defaults().fragment(1)); // every byte its own delivery
        assertEquals("hello", assertCompletes(c.reader().readLine()));
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        c.writer().write("still here\n");
        assertEquals("you said still here", assertCompletes(c.reader().readLine()));
        clock.advance(Duration.ofMinutes(9));
        c.writer().close();
        assertNull(assertCompletes(c.reader().readLine()));
    }
}
