package io.eventloop.testing;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One end of a {@link MemoryConnection}: a {@link Transport} whose "socket" is the other end's
 * protocol. It mirrors {@code io.eventloop.net.SocketTransport} rule for rule (write buffering and
 * water marks, pausing, half-close, graceful close, abort, writes after close), with one
 * difference that makes flow control deterministic: there is no kernel buffer in between, so a
 * byte stays in the writer's buffer, and counts in its {@link #writeBufferSize()}, until the
 * peer's protocol has been given it.
 *
 * <pre>
 *          close() / peer EOF not kept open
 *   OPEN ─────────────────────────────────&gt; CLOSING ──buffer delivered──┐
 *    │                                                                   ▼
 *    └── abort() / reset() / a protocol method threw ──────────────&gt; CLOSED ──next iteration──&gt; connectionLost
 * </pre>
 *
 * <p><b>The pump.</b> Each end delivers its own buffer to its peer from a loop callback
 * ({@link #deliver()}), never from inside {@code write}: a protocol that writes in
 * {@code dataReceived} is re-entered as it would be on a socket, that is, not at all. The
 * callback is scheduled when there is something to deliver and the peer is reading; the peer
 * resuming its reading, or closing, schedules it again. After the last byte, a FIN (the peer's
 * {@code eofReceived}) follows once {@link #writeEof()}, {@link #close()} or {@link #abort()}
 * asked for one.
 *
 * <p>Loop thread only: every field below is touched by the loop thread alone.
 */
final class MemoryTransport implements Transport {
    private enum State { OPEN, CLOSING, CLOSED }

    private final EventLoop loop;
    private final MemoryConnection connection;
    /** The protocol fed; {@link #setProtocol} changes it (as {@code Net.startTls} does). Loop thread only. */
    private Protocol protocol;
    /** "client" or "server", for messages. */
    private final String name;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress remoteAddress;
    /** Chunk sizes of each write, cycled; empty: each write is one chunk. */
    private final int[] fragments;
    private final boolean lockstep;
    /** The other end; set once, right after both are made. */
    private MemoryTransport peer;

    private State state = State.OPEN;
    /** Whether close() or abort() was called here (writes then fail fast instead of being dropped). */
    private boolean closedLocally;
    private boolean readingPaused;
    private boolean eofReceived;
    /** writeEof() was called; the FIN follows the buffer. */
    private boolean eofRequested;
    /** A FIN is owed to the peer once the buffer is delivered: after writeEof, close or abort. */
    private boolean finDue;
    /** The FIN was delivered, or will never be (the peer is gone, or the connection was reset). */
    private boolean finSent;
    /** pauseWriting() was delivered and resumeWriting() not yet. */
    private boolean protocolPaused;
    /** A {@link #deliver()} callback is scheduled. */
    private boolean deliveryScheduled;

    /** Chunks written and not yet delivered to the peer, oldest first; each its own copy. */
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private long bufferSize;
    /** Bytes delivered to the peer (or dropped because it was gone) since the start. */
    private long bytesSent;
    /** Whether buffered bytes were thrown away by abort, reset or a protocol failure. */
    private boolean bytesDropped;
    private ArrayDeque<FlushWaiter> flushWaiters;
    private int highWater;
    private int lowWater;
    /** Values given to setOption, which getOption returns. */
    private final Map<SocketOption<?>, Object> options = new HashMap<>();

    MemoryTransport(EventLoop loop, MemoryConnection connection, Protocol protocol, String name,
            InetSocketAddress localAddress, InetSocketAddress remoteAddress, MemoryConnection.Options settings) {
        this.loop = loop;
        this.connection = connection;
        this.protocol = Objects.requireNonNull(protocol, name + " protocol");
        this.name = name;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.fragments = settings.fragments();
        this.lockstep = settings.lockstep();
        this.highWater = settings.writeBufferHighWaterMark();
        this.lowWater = settings.writeBufferLowWaterMark();
    }

    void connect(MemoryTransport other) {
        this.peer = other;
    }

    MemoryConnection connection() {
        return connection;
    }

    /** Tells the protocol the connection is made, as SocketTransport.start does. */
    void start() {
        try {
            protocol.connectionMade(this);
        } catch (Exception e) {
            protocolFailed("connectionMade", e);
        }
    }

    // ------------------------------------------------------------------ delivery

    private boolean hasSomethingToDeliver() {
        return bufferSize > 0 || (finDue && !finSent);
    }

    /** Schedules {@link #deliver()} unless one is scheduled, nothing is owed, or the loop is closed. */
    private void scheduleDelivery() {
        if (!deliveryScheduled && hasSomethingToDeliver() && !loop.isClosed()) {
            deliveryScheduled = true;
            loop.callSoon(this::deliver);
        }
    }

    /**
     * Delivers the chunks buffered when it began, then the FIN if one is owed (in lockstep: one of
     * those only), while the peer reads. Bounded by that snapshot, so a writer that writes again
     * from {@code resumeWriting} is served on the next iteration, not in this one forever.
     */
    private void deliver() {
        deliveryScheduled = false;
        int steps = lockstep ? 1 : buffer.size() + 1;
        for (int i = 0; i < steps; i++) {
            if (peer.state == State.CLOSED) {
                peerGone();
                return;
            }
            if (!peer.isReading()) {
                return; // the peer's resumeReading schedules us again
            }
            if (bufferSize > 0) {
                deliverChunk();
            } else if (finDue && !finSent) {
                finSent = true;
                peer.receiveEof();
            } else {
                break;
            }
        }
        scheduleDelivery();
    }

    private void deliverChunk() {
        ByteBuffer chunk = buffer.pollFirst();
        int n = chunk.remaining();
        bufferSize -= n;
        bytesSent += n;
        completeFlushWaiters();
        peer.receive(chunk);
        maybeResumeProtocol(); // may write more, or close
        if (state == State.CLOSING && bufferSize == 0) {
            finishClose(null);
        }
    }

    /**
     * The peer is closed: what is buffered goes nowhere and no FIN is needed. The bytes count as
     * sent, as they would once a kernel took them; a socket would answer them with a RST, too late
     * to matter to a writer that has finished, so none is modelled ({@link MemoryConnection#reset()}
     * is how a test asks for one).
     */
    private void peerGone() {
        bytesSent += bufferSize;
        bufferSize = 0;
        buffer.clear();
        finSent = true;
        completeFlushWaiters();
        maybeResumeProtocol();
        if (state == State.CLOSING) {
            finishClose(null);
        }
    }

    /** Bytes from the peer: its protocol's dataReceived, as SocketTransport.readReady calls it. */
    private void receive(ByteBuffer chunk) {
        try {
            protocol.dataReceived(chunk);
        } catch (Exception e) {
            protocolFailed("dataReceived", e);
        }
    }

    /** The peer's FIN: stop reading, tell the protocol once, close unless it keeps the connection. */
    private void receiveEof() {
        eofReceived = true;
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (Exception e) {
            protocolFailed("eofReceived", e);
            return;
        }
        if (!keepOpen && state == State.OPEN) {
            beginClose();
        }
    }

    // ------------------------------------------------------------------ writing

    @Override
    public void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        write(ByteBuffer.wrap(data, offset, length));
    }

    @Override
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        loop.checkThread("Transport.write");
        if (!acceptsWrites() || !data.hasRemaining()) {
            return;
        }
        int position = data.position();
        int end = data.limit();
        int cycle = 0;
        for (int at = position; at < end; ) {
            int size = fragments.length == 0 ? end - at : Math.min(fragments[cycle++ % fragments.length], end - at);
            ByteBuffer chunk = ByteBuffer.allocate(size);
            chunk.put(0, data, at, size);
            buffer.addLast(chunk);
            bufferSize += size;
            at += size;
        }
        scheduleDelivery();
        maybePauseProtocol();
    }

    /** SocketTransport's rule: throw after a local close, abort or writeEof; drop once the peer or an error closed. */
    private boolean acceptsWrites() {
        if (state == State.OPEN) {
            if (eofRequested) {
                throw new IllegalStateException("write() after writeEof() on " + this);
            }
            return true;
        }
        if (closedLocally) {
            throw new IllegalStateException("write() after close() or abort() on " + this, new ClosedChannelException());
        }
        return false;
    }

    @Override
    public void writeEof() {
        loop.checkThread("Transport.writeEof");
        if (state != State.OPEN || eofRequested) {
            return;
        }
        eofRequested = true;
        finDue = true;
        scheduleDelivery();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public Future<Void> flushed() {
        loop.checkThread("Transport.flushed");
        Future<Void> f = loop.createFuture();
        if (bufferSize == 0) {
            if (bytesDropped) {
                f.fail(new ClosedChannelException());
            } else {
                f.complete(null);
            }
            return f;
        }
        if (flushWaiters == null) {
            flushWaiters = new ArrayDeque<>(2);
        }
        flushWaiters.addLast(new FlushWaiter(bytesSent + bufferSize, f));
        return f;
    }

    private void completeFlushWaiters() {
        while (flushWaiters != null && !flushWaiters.isEmpty() && flushWaiters.peekFirst().target <= bytesSent) {
            flushWaiters.pollFirst().future.complete(null);
        }
    }

    /** A {@link #flushed()} caller: done once {@link #bytesSent} reaches {@code target}. */
    private record FlushWaiter(long target, Future<Void> future) {
    }

    // ------------------------------------------------------------------ flow control

    @Override
    public void setWriteBufferLimits(int high, int low) {
        loop.checkThread("Transport.setWriteBufferLimits");
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need high >= low >= 0, got high=" + high + ", low=" + low);
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
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
        return bufferSize;
    }

    private void maybePauseProtocol() {
        if (!protocolPaused && bufferSize > highWater && state == State.OPEN) {
            protocolPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Exception e) {
                protocolFailed("pauseWriting", e);
            }
        }
    }

    private void maybeResumeProtocol() {
        if (protocolPaused && bufferSize <= lowWater && state == State.OPEN) {
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
        loop.checkThread("Transport.pauseReading");
        if (state == State.OPEN && !readingPaused) {
            readingPaused = true;
        }
    }

    @Override
    public void resumeReading() {
        loop.checkThread("Transport.resumeReading");
        if (state == State.OPEN && readingPaused) {
            readingPaused = false;
            peer.scheduleDelivery(); // as a socket: what waited arrives on a later iteration, not inside this call
        }
    }

    @Override
    public boolean isReading() {
        return state == State.OPEN && !readingPaused && !eofReceived;
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void close() {
        loop.checkThread("Transport.close");
        if (state != State.OPEN) {
            return;
        }
        closedLocally = true;
        beginClose();
    }

    /** OPEN → CLOSING: stop reading, owe the peer a FIN; close now if nothing is buffered, else once it is delivered. */
    private void beginClose() {
        state = State.CLOSING;
        finDue = true;
        if (bufferSize == 0) {
            finishClose(null);
        }
        scheduleDelivery();
    }

    @Override
    public void abort() {
        loop.checkThread("Transport.abort");
        closedLocally = true;
        if (state != State.CLOSED) {
            forceClose(null, true);
        }
    }

    /** One end of {@link MemoryConnection#reset()}: lost with {@code cause}, nothing more to or from the peer. */
    void reset(Throwable cause) {
        finSent = true;
        if (state != State.CLOSED) {
            forceClose(cause, false);
        }
    }

    @Override
    public boolean isClosing() {
        return state != State.OPEN;
    }

    /** A protocol method threw: report it once, close this end with it; the peer reads EOF. */
    private void protocolFailed(String method, Exception e) {
        loop.callExceptionHandler(ErrorContext.of("Fatal error: protocol." + method + "() call failed on " + this, e));
        if (state != State.CLOSED) {
            forceClose(e, true);
        }
    }

    /** Drops the buffer and closes now; with {@code fin}, the peer reads EOF as from a closed socket. */
    private void forceClose(Throwable cause, boolean fin) {
        if (bufferSize > 0) {
            bytesDropped = true;
        }
        buffer.clear();
        bufferSize = 0;
        finDue = fin;
        finishClose(cause);
        scheduleDelivery();
    }

    /** → CLOSED: fail what waits for a flush, tell the protocol on the next iteration, let the peer's bytes fall. */
    private void finishClose(Throwable cause) {
        state = State.CLOSED;
        if (flushWaiters != null) {
            Throwable failure = cause != null ? cause : new ClosedChannelException();
            for (FlushWaiter w : flushWaiters) {
                w.future.fail(failure);
            }
            flushWaiters = null;
        }
        if (!loop.isClosed()) {
            loop.callSoon(() -> lost(cause));
        }
        peer.scheduleDelivery();
    }

    private void lost(Throwable cause) {
        try {
            protocol.connectionLost(cause);
        } catch (Exception e) {
            loop.callExceptionHandler(ErrorContext.of("Exception in protocol.connectionLost() of " + this, e));
        }
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Remembers {@code value} for {@link #getOption}; there is no socket for it to change. A
     * protocol that sets {@code TCP_NODELAY} in {@code connectionMade} runs unchanged, and a test
     * can check that it did.
     *
     * @throws IllegalArgumentException if {@code value} is not of the option's type
     */
    @Override
    public <T> Transport setOption(SocketOption<T> option, T value) {
        Objects.requireNonNull(option, "option");
        loop.checkThread("Transport.setOption");
        if (value != null && !option.type().isInstance(value)) {
            throw new IllegalArgumentException(option.name() + " takes a " + option.type().getSimpleName()
                    + ", got " + value.getClass().getSimpleName() + " " + value);
        }
        options.put(option, value);
        return this;
    }

    /** What {@link #setOption} was given for {@code option}, or {@code null} if it never was. */
    @Override
    public <T> T getOption(SocketOption<T> option) {
        Objects.requireNonNull(option, "option");
        loop.checkThread("Transport.getOption");
        return option.type().cast(options.get(option));
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        loop.checkThread("Transport.setProtocol");
        this.protocol = protocol;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case OPEN -> "open";
            case CLOSING -> "closing";
            case CLOSED -> "closed";
        };
        return "MemoryTransport[" + name + " " + localAddress + " -> " + remoteAddress + ", " + s
                + (bufferSize > 0 ? ", buffered=" + bufferSize : "") + "]";
    }
}
