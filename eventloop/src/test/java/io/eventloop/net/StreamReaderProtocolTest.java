package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Net.streamReaderProtocol and Net.connection: the stream pair over a transport made by hand. */
@ExtendWith(NoLeaks.class)
class StreamReaderProtocolTest {
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    @AfterEach
    void tearDown() {
        NetTesting.finish(loop);
    }

    @Test
    void bothSidesOfAConnectionMadeWithCreateServerAndCreateConnectionSpeakStreams() {
        Server server = await(loop, Net.createServer(loop, () -> Net.streamReaderProtocol(loop,
                new StreamReader(loop, StreamReader.DEFAULT_LIMIT), (r, w) -> r.readLine().map(line -> {
                    w.write("echo " + line + "\n");
                    return null;
                })), "127.0.0.1", 0));
        StreamReader reader = new StreamReader(loop, StreamReader.DEFAULT_LIMIT);
        Transport t = await(loop, Net.createConnection(loop, () -> Net.streamReaderProtocol(loop, reader, null),
                "127.0.0.1", server.port()));
        Connection c = Net.connection(t);
        assertSame(reader, c.reader());
        assertSame(t, c.writer().transport());

        c.writer().write("hi\n");
        assertEquals("echo hi", await(loop, c.reader().readLine()));
        assertNull(await(loop, c.reader().readLine()), "the handler's future completing closed the connection");

        c.writer().close();
        await(loop, c.writer().waitClosed());
        server.close();
        await(loop, server.waitClosed());
        assertEquals(List.of(), errors);
    }

    @Test
    void connectionOfATransportWithAnotherProtocolThrows() {
        Server server = await(loop, Net.createServer(loop, () -> new Protocol() { }, "127.0.0.1", 0));
        Transport t = await(loop, Net.createConnection(loop, () -> new Protocol() { }, "127.0.0.1", server.port()));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Net.connection(t));
        assertTrue(e.getMessage().startsWith("not a stream protocol"), e.getMessage());

        t.close();
        server.close();
        await(loop, server.waitClosed());
    }
}
