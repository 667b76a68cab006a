package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BEHAVIOURS M.129, M.130: the low-level operations on raw non-blocking channels. */
@ExtendWith(NoLeaks.class)
class SockOpsTest {
    private EventLoop loop;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;

    @BeforeEach
    void setUp() throws IOException {
        loop = new EventLoop();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        listener.configureBlocking(false);
        client = SocketChannel.open();
        client.configureBlocking(false);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (java.nio.channels.Channel c : new java.nio.channels.Channel[] {client, server, listener}) {
            if (c != null) {
                c.close();
            }
        }
        NetTesting.finish(loop);
    }

    private void connectPair() {
        Future<SocketChannel> accept = loop.sockAccept(listener);
        Future<Void> connect = loop.sockConnect(client, address());
        await(loop, connect);
        server = await(loop, accept);
        assertFalse(server.isBlocking());
    }

    private InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCancelledRecvConsumesNothingAndTheNextRecvGetsTheBytes() throws IOException {
        connectPair();
        Future<byte[]> first = loop.sockRecv(server, 100);
        NetTesting.iterate(loop, 2);
        assertFalse(first.isDone());
        // bytes arrive and readiness is found, but the read was cancelled before it could run
        client.write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(first.cancel());
        NetTesting.iterate(loop, 3);
        byte[] got = await(loop, loop.sockRecv(server, 100));
        assertEquals("abc", new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void aCancelledRecvReplacedAtOnceDoesNotUnregisterTheNewOne() throws IOException {
        connectPair();
        Future<byte[]> first = loop.sockRecv(server, 100);
        first.cancel();
        Future<byte[]> second = loop.sockRecv(server, 100); // takes the reader over before first's clean-up runs
        NetTesting.iterate(loop, 3);
        client.write(ByteBuffer.wrap("xyz".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("xyz", new String(await(loop, second), StandardCharsets.US_ASCII));
    }

    @Test
    void aCancelledSendAllDoesNotCorruptTheNextSend() throws IOException {
        connectPair();
        byte[] big = new byte[16 << 20];
        Arrays.fill(big, (byte) 'a');
        Future<Void> first = loop.sockSendAll(client, big); // the peer does not read: this cannot finish
        NetTesting.iterate(loop, 3);
        assertFalse(first.isDone());
        first.cancel();
        byte[] marker = "<the next send>".getBytes(StandardCharsets.US_ASCII);
        Future<Void> second = loop.sockSendAll(client, marker);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        Future<Void> reading = Async.repeat(() -> loop.sockRecvInto(server, buf.clear()).map(n -> {
            received.write(buf.array(), 0, n);
            byte[] all = received.toByteArray();
            return !(all.length >= marker.length
                    && Arrays.equals(all, all.length - marker.length, all.length, marker, 0, marker.length));
        }));
        await(loop, second);
        await(loop, reading);
        byte[] all = received.toByteArray();
        for (int i = 0; i < all.length - marker.length; i++) {
            if (all[i] != 'a') {
                throw new AssertionError("byte " + i + " is not from the first send");
            }
        }
        assertTrue(all.length - marker.length < big.length, "the first send was cut short");
    }

    @Test
    void aCancelledConnectCanBeRetriedOnTheSameChannel() throws IOException {
        Future<SocketChannel> accept = loop.sockAccept(listener);
        Future<Void> first = loop.sockConnect(client, address());
        if (first.isDone()) {
            // the kernel connected at once: nothing to cancel; connecting again is an error
            assertInstanceOf(AlreadyConnectedException.class,
                    NetTesting.failure(loop, loop.sockConnect(client, address())));
        } else {
            assertTrue(first.cancel());
            await(loop, loop.sockConnect(client, address()));
        }
        assertTrue(client.isConnected());
        server = await(loop, accept);
        await(loop, loop.sockSendAll(client, new byte[] {42}));
        assertArrayEquals(new byte[] {42}, await(loop, loop.sockRecv(server, 10)));
    }

    @Test
    void connectingAConnectedChannelFailsWithAlreadyConnected() {
        connectPair();
        assertInstanceOf(AlreadyConnectedException.class, NetTesting.failure(loop, loop.sockConnect(client, address())));
    }

    @Test
    void aMillionBytesArriveCompleteAndInOrder() {
        connectPair();
        byte[] data = new byte[1_000_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        Future<Void> send = loop.sockSendAll(client, data);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Future<Void> receive = Async.repeat(() -> loop.sockRecv(server, 1 << 16).map(chunk -> {
            received.write(chunk, 0, chunk.length);
            return chunk.length > 0 && received.size() < data.length;
        }));
        await(loop, Async.gather(List.of(send, receive)));
        assertArrayEquals(data, received.toByteArray());
    }

    @Test
    void recvAtEofGivesAnEmptyArray() throws IOException {
        connectPair();
        client.shutdownOutput();
        assertEquals(0, await(loop, loop.sockRecv(server, 10)).length);
        assertEquals(-1, await(loop, loop.sockRecvInto(server, ByteBuffer.allocate(4))));
    }

    @Test
    void aBlockingChannelIsRejected() throws IOException {
        try (SocketChannel blocking = SocketChannel.open()) {
            assertThrows(IllegalArgumentException.class, () -> loop.sockRecv(blocking, 1));
            assertThrows(IllegalArgumentException.class, () -> loop.sockSendAll(blocking, new byte[1]));
        }
    }

    @Test
    void anUnresolvedAddressIsResolvedFirst() {
        Future<SocketChannel> accept = loop.sockAccept(listener);
        await(loop, loop.sockConnect(client, InetSocketAddress.createUnresolved("localhost", address().getPort())));
        server = await(loop, accept);
        await(loop, loop.shutdownDefaultExecutor(java.time.Duration.ofSeconds(30)));
    }
}
