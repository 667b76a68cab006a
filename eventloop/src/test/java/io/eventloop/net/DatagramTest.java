package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static io.eventloop.net.NetTesting.failure;
import static io.eventloop.net.NetTesting.iterate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Datagram endpoints over loopback: delivery, the size limit both ways, ICMP errors, the send
 * queue and its water marks (with the kernel made to refuse through the transport's sender seam,
 * since over loopback it never runs out of room), closing, bad arguments, and the read batch.
 */
@ExtendWith(NoLeaks.class)
class DatagramTest {
    private EventLoop loop;
    private final List<ErrorContext> reported = new ArrayList<>();
    /** Raw channels a test opened, closed at the end. */
    private final List<DatagramChannel> raw = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> reported.add(c));
    }

    @AfterEach
    void tearDown() throws IOException {
        for (DatagramChannel c : raw) {
            c.close();
        }
        NetTesting.finish(loop);
    }

    private DatagramRecorder endpoint(SocketAddress local, SocketAddress remote, DatagramOptions options) {
        DatagramRecorder r = new DatagramRecorder(loop);
        DatagramTransport t = await(loop, Net.createDatagramEndpoint(loop, () -> r, local, remote, options));
        assertSame(t, r.transport);
        assertSame(r, t.protocol());
        return r;
    }

    private DatagramRecorder bound(String host) {
        return endpoint(new InetSocketAddress(host, 0), null, DatagramOptions.defaults());
    }

    private DatagramRecorder echo(String host) {
        DatagramRecorder r = DatagramRecorder.echo(loop);
        await(loop, Net.createDatagramEndpoint(loop, () -> r, host, 0));
        return r;
    }

    private void close(DatagramRecorder... endpoints) {
        for (DatagramRecorder r : endpoints) {
            r.transport.close();
        }
        for (DatagramRecorder r : endpoints) {
            assertNull(await(loop, r.lost));
        }
    }

    /** A blocking channel of the test's own, bound on loopback. */
    private DatagramChannel rawChannel(String host) throws IOException {
        DatagramChannel c = DatagramChannel.open();
        raw.add(c);
        c.bind(new InetSocketAddress(host, 0));
        return c;
    }

    /** A loopback port nothing listens on: bound once, then closed. */
    private static InetSocketAddress deadPort() throws IOException {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            return (InetSocketAddress) c.getLocalAddress();
        }
    }

    private static byte[] numbered(int n, int size) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putInt(n);
        for (int i = 4; i < size; i++) {
            b[i] = (byte) (n + i);
        }
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean hasIpv6Loopback() {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            c.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ delivery

    @Test
    void sendToOverIpv4DeliversEachDatagramWholeWithItsSender() {
        DatagramRecorder server = echo("127.0.0.1");
        DatagramRecorder client = bound("127.0.0.1");
        InetSocketAddress to = server.transport.localAddress();
        client.transport.sendTo(utf8("one"), to);
        client.transport.sendTo(ByteBuffer.wrap(utf8("two")), to);
        List<DatagramRecorder.Received> back = await(loop, client.receive(2));
        assertEquals(List.of("one", "two"), back.stream().map(DatagramRecorder.Received::text).toList());
        assertEquals(to, back.get(0).from());
        assertEquals(client.transport.localAddress(), server.received.get(0).from());
        close(server, client);
        assertEquals(List.of("made", "lost:null"), server.events);
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void sendToOverIpv6DeliversEachDatagram() {
        Assumptions.assumeTrue(hasIpv6Loopback(),
                "this machine has no IPv6 loopback address (::1), so the IPv6 case cannot run here");
        DatagramRecorder server = echo("::1");
        DatagramRecorder client = bound("::1");
        client.transport.sendTo(utf8("over IPv6"), server.transport.localAddress());
        assertEquals("over IPv6", await(loop, client.receive(1)).get(0).text());
        InetSocketAddress from = (InetSocketAddress) server.received.get(0).from();
        assertInstanceOf(java.net.Inet6Address.class, from.getAddress());
        assertTrue(from.getAddress().isLoopbackAddress(), from.toString());
        close(server, client);
    }

    @Test
    void anEmptyDatagramIsSentAndDeliveredAsAnEmptyBuffer() {
        DatagramRecorder server = echo("127.0.0.1");
        DatagramRecorder client = bound("127.0.0.1");
        client.transport.sendTo(new byte[0], server.transport.localAddress());
        assertEquals(0, await(loop, client.receive(1)).get(0).data().length);
        close(server, client);
    }

    @Test
    void aConnectedEndpointSendsToItsRemoteAndHearsOnlyFromIt() throws IOException {
        DatagramRecorder server = echo("127.0.0.1");
        DatagramRecorder client = endpoint(null, server.transport.localAddress(), DatagramOptions.defaults());
        assertEquals(server.transport.localAddress(), client.transport.remoteAddress());
        client.transport.send(utf8("a"));
        client.transport.sendTo(utf8("b"), null);
        client.transport.sendTo(utf8("c"), server.transport.localAddress());
        DatagramChannel stranger = rawChannel("127.0.0.1");
        stranger.send(ByteBuffer.wrap(utf8("not from the remote")), client.transport.localAddress());
        List<DatagramRecorder.Received> back = await(loop, client.receive(3));
        assertEquals(List.of("a", "b", "c"), back.stream().map(DatagramRecorder.Received::text).toList());
        iterate(loop, 3);
        assertEquals(3, client.received.size(), "the kernel filters other senders out of a connected socket");
        close(server, client);
    }

    @Test
    void theLoopLevelEntryMakesTheSameEndpoint() {
        DatagramRecorder r = new DatagramRecorder(loop);
        DatagramTransport t = await(loop, loop.createDatagramEndpoint(() -> r, new InetSocketAddress("127.0.0.1", 0), null));
        assertSame(r, t.protocol());
        assertNull(t.remoteAddress());
        assertEquals(DatagramOptions.DEFAULT_MAX_DATAGRAM_SIZE, t.maxDatagramSize());
        close(r);
    }

    @Test
    void anUnresolvedAddressIsLookedUpFirst() {
        DatagramRecorder server = echo("127.0.0.1");
        DatagramRecorder client = endpoint(InetSocketAddress.createUnresolved("localhost", 0),
                InetSocketAddress.createUnresolved("localhost", server.transport.localAddress().getPort()),
                DatagramOptions.defaults().family(StandardProtocolFamily.INET));
        client.transport.send(utf8("by name"));
        assertEquals("by name", await(loop, client.receive(1)).get(0).text());
        close(server, client);
    }

    // ------------------------------------------------------------------ size limits

    @Test
    void aDatagramLongerThanTheMaximumIsDroppedAndReportedNotDeliveredShort() throws IOException {
        DatagramRecorder server = endpoint(new InetSocketAddress("127.0.0.1", 0), null,
                DatagramOptions.defaults().maxDatagramSize(100));
        DatagramChannel peer = rawChannel("127.0.0.1");
        peer.send(ByteBuffer.wrap(new byte[101]), server.transport.localAddress());
        peer.send(ByteBuffer.wrap(numbered(7, 100)), server.transport.localAddress());
        Exception error = await(loop, server.error());
        DatagramTooLargeException tooLarge = assertInstanceOf(DatagramTooLargeException.class, error);
        assertEquals(100, tooLarge.limit());
        assertEquals(peer.getLocalAddress(), tooLarge.sender());
        assertTrue(error.getMessage().contains("more than 100 bytes"), error.getMessage());
        assertArrayEquals(numbered(7, 100), await(loop, server.receive(1)).get(0).data());
        assertFalse(server.transport.isClosing(), "the endpoint stays open");
        close(server);
    }

    @Test
    void theLargestIpv4DatagramGoesThroughWithTheDefaultLimit() {
        DatagramRecorder server = echo("127.0.0.1");
        DatagramRecorder client = bound("127.0.0.1");
        byte[] big = numbered(1, DatagramOptions.DEFAULT_MAX_DATAGRAM_SIZE);
        client.transport.sendTo(big, server.transport.localAddress());
        assertArrayEquals(big, await(loop, client.receive(1)).get(0).data());
        close(server, client);
    }

    @Test
    void anOversizedSendThrowsNamingBothSizesAndSendsNothing() {
        DatagramRecorder client = endpoint(new InetSocketAddress("127.0.0.1", 0), null,
                DatagramOptions.defaults().maxDatagramSize(512));
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.transport.sendTo(new byte[513], to));
        assertTrue(e.getMessage().startsWith("a datagram of 513 bytes is longer than the maximum datagram size of 512 bytes"),
                e.getMessage());
        DatagramRecorder defaults = bound("127.0.0.1");
        e = assertThrows(IllegalArgumentException.class, () -> defaults.transport.sendTo(new byte[70_000], to));
        assertTrue(e.getMessage().contains("70000 bytes") && e.getMessage().contains("65507 bytes"), e.getMessage());
        assertEquals(0, defaults.transport.queuedDatagrams());
        close(client, defaults);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void portUnreachableOnAConnectedEndpointGoesToErrorReceivedAndTheEndpointStaysOpen() throws IOException {
        DatagramRecorder client = endpoint(null, deadPort(), DatagramOptions.defaults());
        client.transport.send(utf8("anyone?"));
        assertInstanceOf(PortUnreachableException.class, await(loop, client.error()));
        assertFalse(client.transport.isClosing());
        client.transport.send(utf8("still there?"));
        client.transport.send(utf8("and again"));
        assertInstanceOf(PortUnreachableException.class, await(loop, client.error()));
        assertFalse(client.transport.isClosing());
        close(client);
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void aBroadcastWithoutTheOptionIsRefusedToErrorReceived() {
        DatagramRecorder client = endpoint(null, null, DatagramOptions.defaults().family(StandardProtocolFamily.INET));
        client.transport.sendTo(utf8("to all"), new InetSocketAddress("255.255.255.255", 9));
        Exception e = await(loop, client.error());
        assertInstanceOf(IOException.class, e);
        assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
        assertEquals(0, client.transport.queuedDatagrams(), "a refused datagram is not queued");
        assertFalse(client.transport.isClosing());
        close(client);
    }

    @Test
    void aProtocolThatThrowsClosesItsEndpointAndIsReportedOnce() throws IOException {
        RuntimeException bug = new IllegalStateException("bug in datagramReceived");
        DatagramRecorder server = new DatagramRecorder(loop) {
            @Override
            public void datagramReceived(ByteBuffer data, SocketAddress from) {
                throw bug;
            }
        };
        DatagramTransport t = await(loop, Net.createDatagramEndpoint(loop, () -> server, "127.0.0.1", 0));
        rawChannel("127.0.0.1").send(ByteBuffer.wrap(utf8("boom")), t.localAddress());
        assertSame(bug, await(loop, server.lost));
        assertEquals(1, reported.size());
        assertSame(bug, reported.get(0).exception());
        assertTrue(t.isClosing());
        reported.clear();
    }

    @Test
    void bindingAnAddressInUseFailsWithBindExceptionAndLeavesNoSocket() throws IOException {
        DatagramChannel taken = rawChannel("127.0.0.1");
        Throwable e = failure(loop, Net.createDatagramEndpoint(loop, () -> new DatagramRecorder(loop),
                taken.getLocalAddress(), null));
        assertInstanceOf(BindException.class, e);
    }

    // ------------------------------------------------------------------ the send queue

    /** The transport's way to the kernel, made to refuse until given an allowance, recording what it sent. */
    private static final class Refusing implements DatagramChannelTransport.Sender {
        int allowance;
        final List<Integer> sent = new ArrayList<>();

        @Override
        public int send(DatagramChannel channel, ByteBuffer datagram, SocketAddress target) throws IOException {
            if (allowance == 0) {
                return 0;
            }
            allowance--;
            sent.add(datagram.getInt(datagram.position()));
            return channel.send(datagram, target);
        }
    }

    private Refusing refusing(DatagramRecorder r) {
        Refusing s = new Refusing();
        ((DatagramChannelTransport) r.transport).sender = s;
        return s;
    }

    @Test
    void whenTheKernelRefusesDatagramsAreQueuedInOrderWithWaterMarksAndAllSent() {
        DatagramRecorder server = endpoint(new InetSocketAddress("127.0.0.1", 0), null,
                DatagramOptions.defaults().receiveBufferSize(1 << 20));
        DatagramRecorder client = bound("127.0.0.1");
        Refusing kernel = refusing(client);
        client.transport.setWriteBufferLimits(2_000, 500);
        InetSocketAddress to = server.transport.localAddress();
        for (int i = 0; i < 100; i++) {
            client.transport.sendTo(numbered(i, 100), to);
        }
        assertEquals(List.of("made", "pause"), client.events, "paused once, past the high-water mark");
        assertEquals(19 * 108, client.queuedAtPause, "each datagram counts its length and 8 bytes of header");
        assertEquals(100, client.transport.queuedDatagrams());
        assertEquals(100 * 108, client.transport.writeBufferSize());
        iterate(loop, 3);
        assertEquals(100, client.transport.queuedDatagrams(), "nothing is dropped while the kernel refuses");

        kernel.allowance = 30; // room for some, then full again
        iterate(loop, 3);
        assertEquals(70, client.transport.queuedDatagrams());
        assertEquals(List.of("made", "pause"), client.events, "still above the low-water mark");
        client.transport.sendTo(numbered(100, 100), to); // joins the end of the queue, not the kernel
        assertEquals(71, client.transport.queuedDatagrams());

        kernel.allowance = Integer.MAX_VALUE;
        List<DatagramRecorder.Received> got = await(loop, server.receive(101));
        List<Integer> order = new ArrayList<>();
        for (DatagramRecorder.Received r : got) {
            assertEquals(100, r.data().length, "never coalesced, never cut");
            order.add(ByteBuffer.wrap(r.data()).getInt());
        }
        List<Integer> expected = java.util.stream.IntStream.range(0, 101).boxed().toList();
        assertEquals(expected, kernel.sent, "handed to the kernel in the order sent");
        assertEquals(expected, order, "received in the order sent");
        assertEquals(List.of("made", "pause", "resume"), client.events);
        assertTrue(client.queuedAtResume <= 500, "resumed at or below the low-water mark: " + client.queuedAtResume);
        assertEquals(0, client.transport.writeBufferSize());
        close(server, client);
    }

    @Test
    void closeWhileDatagramsAreQueuedSendsThemAllThenReportsAnOrderlyLoss() {
        DatagramRecorder server = bound("127.0.0.1");
        DatagramRecorder client = bound("127.0.0.1");
        Refusing kernel = refusing(client);
        for (int i = 0; i < 5; i++) {
            client.transport.sendTo(numbered(i, 10), server.transport.localAddress());
        }
        client.transport.close();
        assertTrue(client.transport.isClosing());
        assertFalse(client.transport.isReading());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.transport.sendTo(new byte[1], server.transport.localAddress()));
        assertTrue(e.getMessage().startsWith("sendTo() after close() or abort()"), e.getMessage());
        iterate(loop, 3);
        assertFalse(client.lost.isDone(), "close waits for the queue");
        kernel.allowance = Integer.MAX_VALUE;
        assertNull(await(loop, client.lost));
        assertEquals(List.of(0, 1, 2, 3, 4), kernel.sent);
        assertEquals(5, await(loop, server.receive(5)).size());
        close(server);
    }

    @Test
    void abortDropsTheQueueAndClosesAtOnce() {
        DatagramRecorder client = bound("127.0.0.1");
        Refusing kernel = refusing(client);
        for (int i = 0; i < 5; i++) {
            client.transport.sendTo(numbered(i, 10), new InetSocketAddress("127.0.0.1", 9));
        }
        client.transport.abort();
        assertEquals(0, client.transport.queuedDatagrams());
        assertNull(await(loop, client.lost));
        assertEquals(List.of(), kernel.sent);
        assertThrows(IllegalStateException.class,
                () -> client.transport.sendTo(new byte[1], new InetSocketAddress("127.0.0.1", 9)));
    }

    @Test
    void aFloodThatOverrunsTheReceiversBufferLosesWholeDatagramsOnlyAndKeepsTheOrder() {
        DatagramRecorder server = endpoint(new InetSocketAddress("127.0.0.1", 0), null,
                DatagramOptions.defaults().receiveBufferSize(16 * 1024));
        server.transport.pauseReading();
        DatagramRecorder client = bound("127.0.0.1");
        for (int i = 0; i < 2_000; i++) {
            client.transport.sendTo(numbered(i, 1024), server.transport.localAddress());
        }
        assertEquals(0, client.transport.queuedDatagrams(), "loopback never refuses: the receiver's kernel drops");
        iterate(loop, 2);
        assertEquals(0, server.received.size(), "paused: nothing delivered");
        server.transport.resumeReading();
        await(loop, server.receive(1));
        iterate(loop, 5);
        int previous = -1;
        for (DatagramRecorder.Received r : server.received) {
            assertEquals(1024, r.data().length);
            int n = ByteBuffer.wrap(r.data()).getInt();
            assertArrayEquals(numbered(n, 1024), r.data());
            assertTrue(n > previous, "in order: " + n + " after " + previous);
            previous = n;
        }
        assertTrue(server.received.size() < 2_000, "a 16 KiB buffer cannot hold 2 MB: " + server.received.size());
        assertTrue(client.errors.isEmpty() && server.errors.isEmpty());
        close(server, client);
    }

    @Test
    void eachReadinessReadsAtMostTheReadBatch() throws IOException {
        DatagramRecorder server = endpoint(new InetSocketAddress("127.0.0.1", 0), null,
                DatagramOptions.defaults().readBatch(8).receiveBufferSize(1 << 20));
        DatagramChannel peer = rawChannel("127.0.0.1");
        for (int i = 0; i < 20; i++) {
            peer.send(ByteBuffer.wrap(numbered(i, 64)), server.transport.localAddress());
        }
        iterate(loop, 1);
        assertEquals(8, server.received.size());
        iterate(loop, 1);
        assertEquals(16, server.received.size());
        iterate(loop, 1);
        assertEquals(20, server.received.size());
        close(server);
    }

    @Test
    void pauseReadingHoldsDatagramsInTheKernelUntilResumed() throws IOException {
        DatagramRecorder server = bound("127.0.0.1");
        server.transport.pauseReading();
        assertFalse(server.transport.isReading());
        rawChannel("127.0.0.1").send(ByteBuffer.wrap(utf8("wait")), server.transport.localAddress());
        iterate(loop, 3);
        assertEquals(0, server.received.size());
        server.transport.resumeReading();
        assertEquals("wait", await(loop, server.receive(1)).get(0).text());
        close(server);
    }

    @Test
    void anEchoThatKeepsUpChangesNoInterest() {
        DatagramRecorder server = echo("127.0.0.1");
        DatagramRecorder client = bound("127.0.0.1");
        int before = ((DatagramChannelTransport) server.transport).interestChanges;
        for (int i = 0; i < 50; i++) {
            client.transport.sendTo(numbered(i, 32), server.transport.localAddress());
            await(loop, client.receive(i + 1));
        }
        assertEquals(before, ((DatagramChannelTransport) server.transport).interestChanges);
        close(server, client);
    }

    // ------------------------------------------------------------------ bad arguments

    @Test
    void badArgumentsAreRefusedWithAMessageNamingTheValue() throws IOException {
        DatagramRecorder v4 = endpoint(new InetSocketAddress("127.0.0.1", 0), null, DatagramOptions.defaults());
        DatagramTransport t = v4.transport;
        assertMessage("sendTo needs a target address", () -> t.sendTo(new byte[1], null));
        assertMessage("unresolved address", () -> t.sendTo(new byte[1], InetSocketAddress.createUnresolved("example.org", 9)));
        assertMessage("cannot send to port 0", () -> t.sendTo(new byte[1], new InetSocketAddress("127.0.0.1", 0)));
        assertMessage("cannot send to the IPv6 address", () -> t.sendTo(new byte[1], new InetSocketAddress("::1", 9)));
        assertMessage("send() needs a connected endpoint", () -> t.send(new byte[1]));
        assertThrows(NullPointerException.class, () -> t.sendTo((byte[]) null, new InetSocketAddress("127.0.0.1", 9)));
        assertMessage("need high >= low >= 0, got high=1, low=2", () -> t.setWriteBufferLimits(1, 2));

        DatagramRecorder connected = endpoint(null, new InetSocketAddress("127.0.0.1", 9), DatagramOptions.defaults());
        assertMessage("a connected endpoint sends only to /127.0.0.1:9",
                () -> connected.transport.sendTo(new byte[1], new InetSocketAddress("127.0.0.1", 10)));

        assertMessage("port out of range: -1", () -> Net.createDatagramEndpoint(loop, () -> new DatagramRecorder(loop), "127.0.0.1", -1));
        assertMessage("port out of range: 65536", () -> Net.createDatagramEndpoint(loop, () -> new DatagramRecorder(loop), "127.0.0.1", 65536));
        assertMessage("the remote address needs a port, not 0",
                () -> Net.createDatagramEndpoint(loop, () -> new DatagramRecorder(loop), null, new InetSocketAddress("127.0.0.1", 0)));
        assertThrows(NullPointerException.class, () -> Net.createDatagramEndpoint(loop, null, "127.0.0.1", 0));
        assertMessage("maxDatagramSize must be from 1 to 65527 bytes: 0", () -> DatagramOptions.defaults().maxDatagramSize(0));
        assertMessage("maxDatagramSize must be from 1 to 65527 bytes: 65528", () -> DatagramOptions.defaults().maxDatagramSize(65_528));
        assertMessage("readBatch must be from 1 to 4096: 0", () -> DatagramOptions.defaults().readBatch(0));
        assertMessage("receiveBufferSize must not be negative: -1", () -> DatagramOptions.defaults().receiveBufferSize(-1));
        assertMessage("multicastTtl must be from 0 to 255: 256", () -> DatagramOptions.defaults().multicastTtl(256));
        assertMessage("not a multicast address: 127.0.0.1",
                () -> DatagramOptions.defaults().joinGroup(InetAddress.getByName("127.0.0.1"),
                        java.net.NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1"))));
        close(v4, connected);
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    // ------------------------------------------------------------------ multicast

    @Test
    void aJoinedMulticastGroupIsReceivedUntilLeft() throws IOException {
        java.net.NetworkInterface ni = MulticastInterface.find();
        Assumptions.assumeTrue(ni != null, "no network interface here that is up, not loopback, supports multicast and "
                + "has an IPv4 address, so the multicast case cannot run here");
        InetAddress group = InetAddress.getByName("239.255.77.1");
        DatagramRecorder receiver = endpoint(new InetSocketAddress("0.0.0.0", 0), null,
                DatagramOptions.defaults().joinGroup(group, ni));
        DatagramRecorder sender = endpoint(new InetSocketAddress("0.0.0.0", 0), null,
                DatagramOptions.defaults().multicastInterface(ni).multicastLoopback(true).multicastTtl(0));
        InetSocketAddress to = new InetSocketAddress(group, receiver.transport.localAddress().getPort());
        sender.transport.sendTo(utf8("to the group"), to);
        assertEquals("to the group", await(loop, receiver.receive(1)).get(0).text());
        assertTrue(receiver.transport.leaveGroup(group, ni));
        assertFalse(receiver.transport.leaveGroup(group, ni), "nothing left to leave");
        receiver.transport.joinGroup(group, ni);
        sender.transport.sendTo(utf8("again"), to);
        assertEquals("again", await(loop, receiver.receive(2)).get(1).text());
        close(receiver, sender);
    }

    /** Looks for an interface a multicast test can use. */
    static final class MulticastInterface {
        private MulticastInterface() {
        }

        static java.net.NetworkInterface find() throws IOException {
            for (java.net.NetworkInterface ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback() && ni.supportsMulticast()
                        && ni.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address)) {
                    return ni;
                }
            }
            return null;
        }
    }

    @Test
    void socketOptionsAreSetAndReadable() throws IOException {
        DatagramRecorder plain = bound("127.0.0.1");
        DatagramRecorder r = endpoint(new InetSocketAddress("127.0.0.1", 0), null, DatagramOptions.defaults()
                .reuseAddress(true).reusePort(true).broadcast(true).receiveBufferSize(4096).sendBufferSize(4096));
        DatagramTransport t = r.transport;
        assertFalse(plain.transport.getOption(StandardSocketOptions.SO_REUSEPORT));
        assertTrue(t.getOption(StandardSocketOptions.SO_REUSEADDR));
        assertTrue(t.getOption(StandardSocketOptions.SO_REUSEPORT));
        assertTrue(t.getOption(StandardSocketOptions.SO_BROADCAST));
        assertTrue(t.getOption(StandardSocketOptions.SO_RCVBUF) < plain.transport.getOption(StandardSocketOptions.SO_RCVBUF));
        assertTrue(t.getOption(StandardSocketOptions.SO_SNDBUF) < plain.transport.getOption(StandardSocketOptions.SO_SNDBUF));
        DatagramRecorder twin = endpoint(t.localAddress(), null, DatagramOptions.defaults().reusePort(true));
        assertEquals(t.localAddress(), twin.transport.localAddress(), "SO_REUSEPORT lets a second socket bind");
        close(plain, r, twin);
    }
}
