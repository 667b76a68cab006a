package io.eventloop.net;

import static io.eventloop.net.NetSupport.LOOP;

import io.eventloop.EventLoop;
import io.eventloop.internal.IoHandler;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link DatagramTransport} of a {@link DatagramChannel}: asyncio's
 * {@code _SelectorDatagramTransport}, and the {@link IoHandler} of its selection key. Made by
 * {@link DatagramEndpoints#create}.
 *
 * <pre>
 *          close()
 *   OPEN ──────────&gt; CLOSING ──send queue empty──┐
 *    │                                           ▼
 *    └── abort() / a protocol method threw ──&gt; CLOSED ──next iteration──&gt; connectionLost
 * </pre>
 * The socket is closed on entering CLOSED; {@link DatagramProtocol#connectionLost} is called on
 * the next iteration, never from inside another protocol method.
 *
 * <p><b>Interest set.</b> OP_READ while reading (open, not paused), OP_WRITE while datagrams are
 * queued; {@link #updateInterest()} touches the key only when that changes, so an echo that the
 * kernel keeps up with makes no {@code epoll_ctl} call.
 *
 * <p><b>Reads.</b> Up to {@link DatagramOptions#readBatch()} datagrams per readiness, each into
 * the loop's one read buffer with its limit at the maximum datagram size plus one: a datagram
 * that fills that extra byte was longer than the limit (the kernel cut it), so it is dropped and
 * reported instead of delivered short. {@code receive()} rather than {@code read()} even when
 * connected, because {@code read()} returns 0 both for "nothing there" and for an empty datagram.
 *
 * <p>Loop thread only.
 */
final class DatagramChannelTransport extends IoHandler implements DatagramTransport {
    /** asyncio's default high-water mark for datagram transports too; the low one is a quarter. */
    static final int DEFAULT_HIGH_WATER = SocketTransport.DEFAULT_HIGH_WATER;
    /**
     * What a queued datagram counts beyond its length: its UDP header. Without it a queue of
     * empty datagrams would count 0 and never pause the protocol (asyncio counts the same 8).
     */
    static final int HEADER_SIZE = 8;
    /**
     * Queued datagrams sent per writability of the socket: a long queue is flushed over several
     * iterations, in between the other callbacks, instead of in one.
     */
    static final int WRITE_BATCH = 64;
    /**
     * Attempts at one datagram when the kernel answers "port unreachable": that error belongs to
     * an earlier datagram (Linux reports it, and clears it, on the next send, which it does not
     * make), so the datagram is sent again. A fresh error needs a datagram actually sent, so two
     * attempts almost always suffice; the bound is a guard.
     */
    private static final int SEND_ATTEMPTS = 3;
    /** asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
    private static final int DROPPED_SENDS_WARNING = 5;

    /** The state machine drawn above the class. */
    private enum State { OPEN, CLOSING, CLOSED }

    /**
     * How a datagram reaches the kernel: the channel's {@code send}, returning 0 when the kernel's
     * buffer has no room. A seam, because over loopback the kernel practically never runs out, and
     * tests need it to refuse.
     */
    interface Sender {
        int send(DatagramChannel channel, ByteBuffer datagram, SocketAddress target) throws IOException;
    }

    /**
     * A datagram the kernel did not take yet: a copy of its bytes, where it goes, and what it
     * counts in the queue's size (fixed when queued: sending moves the copy's position).
     */
    private record Queued(ByteBuffer data, SocketAddress target, int size) {
    }

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final DatagramProtocol protocol;
    private final ProtocolFamily family;
    private final InetSocketAddress localAddress;
    /** The connected peer, or null. */
    private final InetSocketAddress remoteAddress;
    private final int maxDatagramSize;
    private final int readBatch;
    /** Package-private seam for tests. */
    Sender sender = DatagramChannel::send;

    // Everything below: loop thread only.
    private State state = State.OPEN;
    private boolean closedLocally;
    private boolean readingPaused;
    private boolean protocolPaused;
    private int interest;
    /** How many times the key's interest set was changed; tests check the steady path makes none. */
    int interestChanges;
    /** Datagrams the kernel refused for lack of room, oldest first; null until first needed. */
    private ArrayDeque<Queued> queue;
    private long queueSize;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_HIGH_WATER / 4;
    private int droppedSends;
    private final List<MembershipKey> memberships = new ArrayList<>(0);

    DatagramChannelTransport(EventLoop loop, DatagramChannel channel, ProtocolFamily family, DatagramProtocol protocol,
            DatagramOptions options) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.family = family;
        this.protocol = protocol;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
        this.maxDatagramSize = options.maxDatagramSize();
        this.readBatch = options.readBatch();
    }

    /** Tells the protocol the endpoint is ready, then starts reading. The key is attached already. */
    void start() {
        try {
            protocol.connectionMade(this);
        } catch (Exception e) {
            protocolFailed("connectionMade", e);
            return;
        }
        updateInterest();
    }

    /** Memberships joined while the endpoint was made, so {@link #leaveGroup} finds them. */
    void addMembership(MembershipKey key) {
        memberships.add(key);
    }

    // ------------------------------------------------------------------ readiness

    /** The loop found the key ready: read first, then write, re-checking the state between. */
    @Override
    public void run() {
        SelectionKey key = key();
        if (state == State.CLOSED || !key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0 && isReading()) {
            readReady();
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && state != State.CLOSED) {
            writeReady();
        }
    }

    /** Up to {@link #readBatch} datagrams, each delivered whole, until the socket is empty or reading stops. */
    private void readReady() {
        ByteBuffer buffer = LOOP.readBuffer(loop);
        for (int i = 0; i < readBatch && isReading(); i++) {
            buffer.clear().limit(maxDatagramSize + 1);
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (PortUnreachableException e) {
                errorReceived(e); // an earlier datagram of ours bounced; the kernel has cleared the error
                continue;
            } catch (IOException e) {
                errorReceived(e); // asyncio's rule: an OSError while reading goes to error_received
                return;
            }
            if (from == null) {
                return; // nothing more: wait for the next readiness
            }
            if (buffer.position() > maxDatagramSize) {
                errorReceived(new DatagramTooLargeException(maxDatagramSize, from));
                continue;
            }
            buffer.flip();
            try {
                protocol.datagramReceived(buffer, from);
            } catch (Exception e) {
                protocolFailed("datagramReceived", e);
                return;
            }
        }
    }

    /** The socket can take more: send queued datagrams, in order, up to {@link #WRITE_BATCH}. */
    private void writeReady() {
        for (int i = 0; i < WRITE_BATCH && queue != null && !queue.isEmpty(); i++) {
            Queued q = queue.peekFirst();
            if (!trySend(q.data, q.target)) {
                break; // still no room: stay interested in OP_WRITE
            }
            if (state == State.CLOSED) {
                return; // errorReceived threw, or aborted, while sending
            }
            queue.pollFirst();
            queueSize -= q.size();
        }
        maybeResumeProtocol(); // may send more, or close
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.CLOSING && queueSize == 0) {
            finishClose(null);
            return;
        }
        updateInterest();
    }

    // ------------------------------------------------------------------ sending

    @Override
    public void sendTo(byte[] data, SocketAddress target) {
        Objects.requireNonNull(data, "data");
        sendTo(ByteBuffer.wrap(data), target);
    }

    @Override
    public void send(ByteBuffer data) {
        if (remoteAddress == null) {
            Objects.requireNonNull(data, "data");
            throw new IllegalArgumentException("send() needs a connected endpoint; " + this
                    + " is not connected: use sendTo(data, address)");
        }
        sendTo(data, remoteAddress);
    }

    @Override
    public void send(byte[] data) {
        Objects.requireNonNull(data, "data");
        send(ByteBuffer.wrap(data));
    }

    @Override
    public void sendTo(ByteBuffer data, SocketAddress target) {
        Objects.requireNonNull(data, "data");
        NetSupport.checkThread(loop, "DatagramTransport.sendTo");
        SocketAddress to = checkTarget(target);
        int n = data.remaining();
        if (n > maxDatagramSize) {
            throw new IllegalArgumentException("a datagram of " + n + " bytes is longer than the maximum datagram size of "
                    + maxDatagramSize + " bytes of " + this + " (DatagramOptions.maxDatagramSize)");
        }
        if (!acceptsSends()) {
            return;
        }
        if (queueSize == 0) {
            // Nothing queued: straight to the kernel, and OP_WRITE only if it has no room.
            int position = data.position();
            boolean taken;
            try {
                taken = trySend(data, to);
            } finally {
                data.position(position);
            }
            if (taken || state != State.OPEN) {
                return;
            }
        }
        enqueue(data, to);
        updateInterest();
        maybePauseProtocol();
    }

    /** Where a datagram goes, checked: the connected peer, or a resolved address of the socket's family. */
    private SocketAddress checkTarget(SocketAddress target) {
        if (remoteAddress != null) {
            if (target == null || target.equals(remoteAddress)) {
                return remoteAddress;
            }
            throw new IllegalArgumentException("sendTo(" + target + ") on " + this + ": a connected endpoint sends only to "
                    + remoteAddress + " (use send(data), or sendTo(data, null))");
        }
        if (target == null) {
            throw new IllegalArgumentException("sendTo needs a target address: " + this + " is not connected");
        }
        if (!(target instanceof InetSocketAddress address)) {
            throw new IllegalArgumentException("a datagram endpoint sends to an InetSocketAddress, not " + target
                    + " (" + target.getClass().getName() + ")");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + target
                    + ": sendTo does not look names up (resolve it first, e.g. on the executor)");
        }
        if (address.getPort() == 0) {
            throw new IllegalArgumentException("cannot send to port 0: " + target);
        }
        if (family == StandardProtocolFamily.INET && address.getAddress() instanceof Inet6Address) {
            throw new IllegalArgumentException("cannot send to the IPv6 address " + target + " from the IPv4 socket of "
                    + this + " (DatagramOptions.family, or bind an IPv6 address)");
        }
        return target;
    }

    /** Throws after a local close; returns false (the datagram is dropped) once a failure closed the endpoint. */
    private boolean acceptsSends() {
        if (state == State.OPEN) {
            return true;
        }
        if (closedLocally) {
            throw new IllegalStateException("sendTo() after close() or abort() on " + this, new ClosedChannelException());
        }
        if (++droppedSends == DROPPED_SENDS_WARNING) {
            LOOP.warn(DatagramChannelTransport.class, this + ": datagrams sent after the endpoint failed are being dropped",
                    null);
        }
        return false;
    }

    /**
     * Hands one datagram to the kernel. Returns true when it is done with (sent, or refused with an
     * error that went to {@code errorReceived}), false when the kernel has no room for it now.
     * Advances {@code datagram}'s position when it is sent.
     */
    private boolean trySend(ByteBuffer datagram, SocketAddress target) {
        for (int attempt = 1; ; attempt++) {
            try {
                int length = datagram.remaining();
                int sent = sender.send(channel, datagram, target);
                // An empty datagram reports 0 bytes sent either way; the kernel sends it unless its
                // buffer is full, which an empty datagram cannot tell us: count it as sent.
                return sent > 0 || length == 0;
            } catch (PortUnreachableException e) {
                errorReceived(e); // about an earlier datagram: this one was not sent, so try again
                if (state == State.CLOSED || attempt == SEND_ATTEMPTS) {
                    return true;
                }
            } catch (IOException e) {
                errorReceived(e); // the kernel refused this datagram for good (no route, EMSGSIZE, EACCES)
                return true;
            }
        }
    }

    /** Copies {@code src}'s remaining bytes as one queued datagram. */
    private void enqueue(ByteBuffer src, SocketAddress target) {
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        ByteBuffer copy = ByteBuffer.allocate(src.remaining());
        copy.put(src.duplicate()).flip();
        Queued q = new Queued(copy, target, copy.remaining() + HEADER_SIZE);
        queue.addLast(q);
        queueSize += q.size();
    }

    private void errorReceived(Exception e) {
        try {
            protocol.errorReceived(e);
        } catch (Exception thrown) {
            protocolFailed("errorReceived", thrown);
        }
    }

    // ------------------------------------------------------------------ flow control

    @Override
    public void setWriteBufferLimits(int high, int low) {
        NetSupport.checkThread(loop, "DatagramTransport.setWriteBufferLimits");
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need high >= low >= 0, got high=" + high + ", low=" + low);
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
        maybeResumeProtocol();
    }

    @Override
    public int writeBufferHighWaterMark() {
        return highWater;
    }

    @Override
    public int writeBufferLowWaterMark() {
        return lowWater;
    }

    @Override
    public long writeBufferSize() {
        return queueSize;
    }

    @Override
    public int queuedDatagrams() {
        return queue == null ? 0 : queue.size();
    }

    private void maybePauseProtocol() {
        if (!protocolPaused && queueSize > highWater && state == State.OPEN) {
            protocolPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Exception e) {
                protocolFailed("pauseWriting", e);
            }
        }
    }

    private void maybeResumeProtocol() {
        if (protocolPaused && queueSize <= lowWater && state == State.OPEN) {
            protocolPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Exception e) {
                protocolFailed("resumeWriting", e);
            }
        }
    }

    @Override
    public void pauseReading() {
        NetSupport.checkThread(loop, "DatagramTransport.pauseReading");
        if (state == State.OPEN && !readingPaused) {
            readingPaused = true;
            updateInterest();
        }
    }

    @Override
    public void resumeReading() {
        NetSupport.checkThread(loop, "DatagramTransport.resumeReading");
        if (state == State.OPEN && readingPaused) {
            readingPaused = false;
            updateInterest();
        }
    }

    @Override
    public boolean isReading() {
        return state == State.OPEN && !readingPaused;
    }

    /** Gives the key the interest set the state calls for, only if it differs from the last one. */
    private void updateInterest() {
        if (state == State.CLOSED) {
            return;
        }
        int ops = (isReading() ? SelectionKey.OP_READ : 0) | (queueSize > 0 ? SelectionKey.OP_WRITE : 0);
        if (ops != interest) {
            SelectionKey key = key();
            if (key.isValid()) {
                key.interestOps(ops);
                interest = ops;
                interestChanges++;
            }
        }
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void close() {
        NetSupport.checkThread(loop, "DatagramTransport.close");
        if (state != State.OPEN) {
            return;
        }
        closedLocally = true;
        state = State.CLOSING;
        if (queueSize == 0) {
            finishClose(null);
        } else {
            updateInterest(); // stop reading; keep sending
        }
    }

    @Override
    public void abort() {
        NetSupport.checkThread(loop, "DatagramTransport.abort");
        closedLocally = true;
        if (state != State.CLOSED) {
            forceClose(null);
        }
    }

    @Override
    public boolean isClosing() {
        return state != State.OPEN;
    }

    /** A protocol method threw: report it once, close this endpoint with it. */
    private void protocolFailed(String method, Exception e) {
        NetSupport.report(loop, "Fatal error: protocol." + method + "() call failed on " + this, e);
        if (state != State.CLOSED) {
            forceClose(e);
        }
    }

    private void forceClose(Throwable cause) {
        queue = null;
        queueSize = 0;
        finishClose(cause);
    }

    /** → CLOSED: close the socket now (leaving its groups), tell the protocol on the next iteration. */
    private void finishClose(Throwable cause) {
        state = State.CLOSED;
        interest = 0;
        memberships.clear();
        NetSupport.closeQuietly(channel); // cancels the key; the descriptor goes at the next poll
        if (!loop.isClosed()) {
            loop.callSoon(() -> lost(cause));
        }
    }

    private void lost(Throwable cause) {
        try {
            protocol.connectionLost(cause);
        } catch (Exception e) {
            NetSupport.report(loop, "Exception in protocol.connectionLost() of " + this, e);
        }
    }

    // ------------------------------------------------------------------ multicast

    /** Null checks and "is it a multicast address", shared with {@link DatagramOptions#joinGroup}. */
    static void checkGroup(InetAddress group, NetworkInterface networkInterface) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(networkInterface, "networkInterface");
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("not a multicast address: " + group.getHostAddress());
        }
    }

    @Override
    public void joinGroup(InetAddress group, NetworkInterface networkInterface) throws IOException {
        checkGroup(group, networkInterface);
        NetSupport.checkThread(loop, "DatagramTransport.joinGroup");
        if (state == State.CLOSED) {
            throw new ClosedChannelException();
        }
        MembershipKey key = channel.join(group, networkInterface); // the same key if already joined
        if (!memberships.contains(key)) {
            memberships.add(key);
        }
    }

    @Override
    public boolean leaveGroup(InetAddress group, NetworkInterface networkInterface) {
        checkGroup(group, networkInterface);
        NetSupport.checkThread(loop, "DatagramTransport.leaveGroup");
        for (MembershipKey key : memberships) {
            if (key.group().equals(group) && key.networkInterface().equals(networkInterface)) {
                key.drop();
                memberships.remove(key);
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public <T> DatagramTransport setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override
    public DatagramProtocol protocol() {
        return protocol;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "DatagramTransport[" + localAddress + (remoteAddress != null ? " -> " + remoteAddress : "") + ", "
                + state.name().toLowerCase(java.util.Locale.ROOT)
                + (queueSize > 0 ? ", queued=" + queue.size() : "") + "]";
    }
}
