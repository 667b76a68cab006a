package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static io.eventloop.net.NetTesting.failure;
import static io.eventloop.net.NetTesting.iterate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeaks.class)
class SendFileTest {
    /** Bigger than the socket buffers on both sides (loopback's grow to a few MiB). */
    private static final int BIG = 16 << 20;

    @TempDir
    Path dir;
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    private Server server;
    /** The accepted side, which sends; the client records what arrives. */
    private Transport sender;
    private Recorder client;
    private Transport clientTransport;
    private byte[] content;
    private FileChannel file;

    @BeforeEach
    void setUp() throws IOException {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
        content = new byte[BIG];
        new Random(42).nextBytes(content);
        Path p = dir.resolve("big.bin");
        Files.write(p, content);
        file = FileChannel.open(p);
    }

    @AfterEach
    void tearDown() throws IOException {
        file.close();
        if (clientTransport != null) {
            clientTransport.abort();
        }
        if (sender != null) {
            sender.abort();
        }
        if (server != null) {
            server.close();
            await(loop, server.waitClosed());
        }
        NetTesting.finish(loop);
        assertEquals(List.of(), errors, "reported to the exception handler");
    }

    /** A TCP connection: {@link #sender} on the server side, {@link #client} recording. */
    private void connect(TlsConfig serverTls, TlsConfig clientTls) {
        Future<Transport> accepted = loop.createFuture();
        Recorder serverSide = new Recorder(loop) {
            @Override
            public void connectionMade(Transport t) {
                super.connectionMade(t);
                accepted.complete(t);
            }
        };
        server = await(loop, Net.createServer(loop, () -> serverSide, "127.0.0.1", 0, serverTls));
        client = new Recorder(loop);
        clientTransport = await(loop, Net.createConnection(loop, () -> client, "127.0.0.1", server.port(), clientTls));
        sender = await(loop, accepted);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void aFileBiggerThanTheSocketBuffersArrivesBetweenTheWritesAroundIt() {
        connect(null, null);
        byte[] head = "head".getBytes();
        byte[] tail = "tail".getBytes();
        sender.write(head);
        Future<Long> sent = sender.sendFile(file, 0, BIG);
        sender.write(tail);
        assertEquals(tail.length, sender.writeBufferSize(), "the file is not copied into the write buffer");
        byte[] got = await(loop, client.receive(head.length + BIG + tail.length));
        assertEquals(BIG, await(loop, sent));
        assertArrayEquals(concat(head, content, tail), got);
    }

    @Test
    void aRangeSendsThoseBytesAndLeavesTheFilePositionAfterThem() throws IOException {
        connect(null, null);
        assertEquals(1000, await(loop, sender.sendFile(file, 5000, 1000)));
        assertArrayEquals(Arrays.copyOfRange(content, 5000, 6000), await(loop, client.receive(1000)));
        assertEquals(6000, file.position());
    }

    @Test
    void aCountPastTheEndSendsUpToTheEnd() {
        connect(null, null);
        assertEquals(100, await(loop, sender.sendFile(file, BIG - 100, 1 << 20)));
        assertEquals(0, await(loop, sender.sendFile(file, BIG + 5, 10)));
        sender.write(new byte[] {9});
        byte[] expected = concat(Arrays.copyOfRange(content, BIG - 100, BIG), new byte[] {9});
        assertArrayEquals(expected, await(loop, client.receive(101)));
    }

    @Test
    void aSlowReaderHoldsTheFileBackWithoutBufferingIt() throws IOException {
        connect(null, null);
        sender.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        clientTransport.pauseReading();
        Future<Long> sent = sender.sendFile(file, 0, BIG);
        Future<Void> flushed = sender.flushed();
        iterate(loop, 20);
        assertFalse(sent.isDone(), "the reader does not read: the file cannot have gone");
        assertFalse(flushed.isDone());
        assertEquals(0, sender.writeBufferSize(), "nothing of the file is held in memory");
        clientTransport.resumeReading();
        assertArrayEquals(content, await(loop, client.receive(BIG)));
        assertEquals(BIG, await(loop, sent));
        await(loop, flushed);
    }

    @Test
    void cancellingStopsAndTheFilePositionSaysHowMuchWent() throws IOException {
        connect(null, null);
        sender.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        clientTransport.pauseReading();
        long start = 1000;
        Future<Long> sending = sender.sendFile(file, start, BIG - start);
        iterate(loop, 5);
        sending.cancel();
        iterate(loop, 2);
        long went = file.position() - start;
        assertTrue(went > 0 && went < BIG - start, "went " + went);
        byte[] after = "after".getBytes();
        sender.write(after);
        clientTransport.resumeReading();
        byte[] got = await(loop, client.receive((int) went + after.length));
        assertArrayEquals(concat(Arrays.copyOfRange(content, (int) start, (int) (start + went)), after), got);
    }

    @Test
    void cancellingAQueuedFileSendsNoneOfIt() throws IOException {
        connect(null, null);
        sender.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        clientTransport.pauseReading();
        byte[] before = Arrays.copyOf(content, 4 << 20);
        sender.write(before); // more than the socket takes: the file waits behind it
        Future<Long> queued = sender.sendFile(file, 0, BIG);
        queued.cancel();
        iterate(loop, 2);
        assertEquals(0, file.position());
        sender.write(new byte[] {7});
        clientTransport.resumeReading();
        assertArrayEquals(concat(before, new byte[] {7}), await(loop, client.receive(before.length + 1)));
    }

    @Test
    void closeSendsTheWholeFileThenEof() {
        connect(null, null);
        Future<Long> sent = sender.sendFile(file, 0, BIG);
        sender.close();
        assertArrayEquals(content, await(loop, client.receive(BIG)));
        await(loop, client.eof);
        assertEquals(BIG, await(loop, sent));
    }

    @Test
    void abortFailsTheSendingAndLaterOnesFailAtOnce() throws IOException {
        connect(null, null);
        sender.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        clientTransport.pauseReading();
        Future<Long> sent = sender.sendFile(file, 0, BIG);
        iterate(loop, 2);
        sender.abort();
        assertInstanceOf(ClosedChannelException.class, failure(loop, sent));
        assertTrue(file.position() > 0 && file.position() < BIG);
        assertThrows(IllegalStateException.class, () -> sender.sendFile(file, 0, 1));
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        connect(null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sender.sendFile(file, -1, 1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sender.sendFile(file, 0, -5));
        assertThrows(NullPointerException.class, () -> sender.sendFile(null, 0, 1));
    }

    @Test
    void overTlsTheFileIsReadAndWrittenInChunks() {
        SelfSignedCertificate cert = SelfSignedCertificate.generate();
        connect(TlsConfig.server(cert.serverContext()), TlsConfig.client(cert.trustingContext()).serverName("localhost"));
        sender.write("head".getBytes());
        Future<Long> sent = sender.sendFile(file, 10, 3 * FileSender.CHUNK + 5);
        int n = 3 * FileSender.CHUNK + 5;
        byte[] got = await(loop, client.receive(4 + n));
        assertEquals(n, await(loop, sent));
        assertArrayEquals(concat("head".getBytes(), Arrays.copyOfRange(content, 10, 10 + n)), got);
        assertTrue(sender.writeBufferSize() <= FileSender.CHUNK + 64 * 1024);
    }
}
