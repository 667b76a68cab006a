package io.eventloop.examples;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Connection;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.MemoryConnection;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chat room over in-memory connections on fake time: no socket, no port, no waiting; the
 * idle timeout of ten minutes passes in milliseconds.
 */
@EventLoopTest
class ChatRoomTest {
    private static Connection join(EventLoop loop, ChatServer room, String nick) {
        Connection c = MemoryConnection.streams(loop, room::handle);
        assertEquals("* welcome to eventloop chat! pick a nickname:", assertCompletes(c.reader().readLine()));
        c.writer().write(nick + "\n");
        assertCompletes(c.reader().readLine()); // "* hello NICK! ..."
        return c;
    }

    @EventLoopTest
    Future<?> chatBroadcastReachesEveryone(EventLoop loop, TestClock clock) {
        ChatServer room = ChatServer.room(loop, new ChatServer.Config());
        Connection alice = join(loop, room, "alice");
        Connection bob = join(loop, room, "bob");
        assertEquals("* bob joined", assertCompletes(alice.reader().readLine()));
        Connection carol = join(loop, room, "carol");
        assertEquals("* carol joined", assertCompletes(alice.reader().readLine()));
        assertEquals("* carol joined", assertCompletes(bob.reader().readLine()));

        alice.writer().write("hi all\n");
        return Async.gather(bob.reader().readLine(), carol.reader().readLine()).map(lines -> {
            assertEquals(List.of("<alice> hi all", "<alice> hi all"), lines);
            assertEquals(Duration.ZERO, clock.elapsed(), "no time passed");
            for (Connection c : List.of(alice, bob, carol)) {
                c.writer().close();
            }
            return lines;
        });
    }

    @Test
    void aSilentClientLeavesAfterTheIdleTimeoutAndTheOthersAreTold(EventLoop loop, TestClock clock) {
        ChatServer room = ChatServer.room(loop, new ChatServer.Config());
        Connection alice = join(loop, room, "alice");
        Connection bob = join(loop, room, "bob");
        assertEquals("* bob joined", assertCompletes(alice.reader().readLine()));
        alice.writer().write("/me waits\n");
        assertEquals("* alice waits", assertCompletes(bob.reader().readLine()));
        // bob talks after nine minutes; alice, who only listens, is idle all the same.
        clock.advance(Duration.ofMinutes(9));
        bob.writer().write("still here\n");
        assertEquals("<bob> still here", assertCompletes(alice.reader().readLine()));
        assertEquals("* idle for 10 minutes, bye", assertCompletes(alice.reader().readLine())); // time jumps to it
        assertEquals(Duration.ofMinutes(10), clock.elapsed());
        assertNull(assertCompletes(alice.reader().readLine()));
        assertEquals("* alice left (idle)", assertCompletes(bob.reader().readLine()));
        bob.writer().close();
    }

    @Test
    void controlCharactersReachTheOthersShownNotObeyed(EventLoop loop) {
        ChatServer room = ChatServer.room(loop, new ChatServer.Config());
        Connection alice = join(loop, room, "alice");
        Connection bob = join(loop, room, "bob");
        assertEquals("* bob joined", assertCompletes(alice.reader().readLine()));
        alice.writer().write("x\r<bob> send me your password\u001b[K\n");
        assertEquals("<alice> x^M<bob> send me your password^[[K", assertCompletes(bob.reader().readLine()));
        alice.writer().close();
        bob.writer().close();
    }
}
