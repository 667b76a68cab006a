package io.eventloop.testing;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Connection;
import io.eventloop.net.Server;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three pytest-asyncio tests users write most, in Java (the guide's "Testing" chapter shows
 * them side by side): an asynchronous fixture (a real server on loopback, started before each
 * test and closed after), an asynchronous test against it, and a timeout test.
 */
@EventLoopTest
class FixtureTest {
    private Server server;

    @BeforeEach
    void startServer(EventLoop loop) {
        server = assertCompletes(loop.startServer((reader, writer) -> reader.readLine().then(line -> {
            if (line == null) {
                return Async.completed(null); // the client left without a line
            }
            writer.write(line.toUpperCase() + "\n");
            return writer.drain();
        }), "127.0.0.1", 0));
    }

    @AfterEach
    void closeServer(EventLoop loop) {
        server.close();
        server.closeClients();
        assertCompletes(server.waitClosed());
    }

    @EventLoopTest
    Future<?> theServerAnswersInUpperCase(EventLoop loop) {
        return loop.openConnection("127.0.0.1", server.port()).then(c -> {
            c.writer().write("hello\n".getBytes(StandardCharsets.UTF_8));
            return c.reader().readLine().map(line -> {
                assertEquals("HELLO", line);
                c.writer().close();
                return line;
            });
        });
    }

    @Test
    void aSlowAnswerTimesOut(EventLoop loop) {
        Connection c = assertCompletes(loop.openConnection("127.0.0.1", server.port()));
        // The server waits for a line that never comes. Time does not jump while the loop waits
        // on a socket (the listener is one), so this timeout takes 50 ms of real time.
        assertFails(TimeoutException.class, Async.waitFor(c.reader().readLine(), Duration.ofMillis(50)));
        c.writer().close();
    }
}
