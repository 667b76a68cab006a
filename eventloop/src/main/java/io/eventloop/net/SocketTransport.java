package io.eventloop.net;

import static io.eventloop.net.NetSupport.LOOP;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.internal.IoHandler;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} of a connected {@link SocketChannel}, TCP or Unix domain: asyncio's
 * {@code _SelectorSocketTransport}, and the {@link IoHandler} of its selection key.
 *
 * <pre>
 *          close() / peer EOF not kept open
 *   OPEN ─────────────────────────────────&gt; CLOSING ──buffer flushed──┐
 *    │                                                                 ▼
 *    └── abort() / I/O error / a protocol method threw ──────────&gt; CLOSED ──next iteration──&gt; connectionLost
 * </pre>
 * The socket is closed on entering CLOSED; {@link Protocol#connectionLost} is called on the
 * next iteration, never from inside another protocol method.
 *
 * <p><b>Interest set.</b> OP_READ while reading (open, not paused, no EOF yet), OP_WRITE while
 * the buffer holds bytes; {@link #updateInterest()} touches the key only when that changes. A
 * request answered with a write the socket takes whole changes nothing: no {@code epoll_ctl}
 * and no allocation on the steady path.
 *
 * <p><b>The queue.</b> What the socket has not taken yet, oldest first: byte chunks (copied, and
 * counted in {@link #writeBufferSize()}) and {@link FileSender.Segment}s of files given to
 * {@link #sendFile} (not copied, not counted: their bytes stay in the page cache until
 * {@code transferTo} hands them to the socket). Each is sent in its turn, so a file goes out
 * after the bytes written before it and before those written after it.
 *
 * <p>Loop thread only.
 */
final class SocketTransport extends IoHandler implements Transport {
    private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

    /** asyncio's default high-water mark; the low one is a quarter of it. */
    static final int DEFAULT_HIGH_WATER = 64 * 1024;
    /** Smallest chunk the write buffer allocates, so many small writes share one array. */
    private static final int MIN_CHUNK = 8 * 1024;
    /** Most buffers handed to one gathering write (Linux's IOV_MAX is 1024). */
    private static final int MAX_GATHER = 64;
    /** The array gathering writes are made from: one per loop thread, not one per connection. */
    private static final ThreadLocal<ByteBuffer[]> GATHER = ThreadLocal.withInitial(() -> new ByteBuffer[MAX_GATHER]);
    /** Most writes or transfers per readiness, so one connection with a fast peer does not hold the loop. */
    private static final int MAX_FLUSH_ROUNDS = 16;
    /** asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
    private static final int DROPPED_WRITES_WARNING = 5;

    private static final byte OPEN = 0;
    private static final byte CLOSING = 1;
    private static final byte CLOSED = 2;

    private final EventLoop loop;
    private final SocketChannel channel;
    private Protocol protocol;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    /** The host name a client connection was made to (for {@link Net#startTls}); null on a server. */
    String connectedHost;
    /** The server that accepted this connection, or null for a client connection. */
    final Server server;
    /** Links in {@link #server}'s list of live connections. Loop thread only. */
    SocketTransport previousInServer;
    SocketTransport nextInServer;

    // Everything below: loop thread only.
    private byte state = OPEN;
    /** Whether close() or abort() was called here (writes then fail fast instead of being dropped). */
    private boolean closedLocally;
    private boolean readingPaused;
    private boolean eofReceived;
    /** writeEof() was called; the output is shut once the buffer is flushed. */
    private boolean eofRequested;
    /** pauseWriting() was delivered and resumeWriting() not yet. */
    private boolean protocolPaused;
    /** The interest set last given to the key. */
    private int interest;
    /** How many times the key's interest set was changed; tests check the steady path makes none. */
    int interestChanges;

    /**
     * What the socket did not take, oldest first: {@link ByteBuffer}s in read mode and
     * {@link FileSender.Segment}s; null until first needed.
     */
    private ArrayDeque<Object> buffer;
    /** Bytes in the buffer's byte chunks: the write buffer size of the water marks. */
    private long bufferSize;
    /** Bytes of the queued file segments not sent yet. */
    private long fileBytes;
    /**
     * Bytes handed to the socket since the start, plus what was left of file segments that
     * ended early (file end, cancel): the queue position {@link #flushed()} counts on.
     */
    private long bytesSent;
    /** Whether buffered bytes were thrown away by abort or an error. */
    private boolean bytesDropped;
    private ArrayDeque<FlushWaiter> flushWaiters;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_HIGH_WATER / 4;
    private int droppedWrites;

    SocketTransport(EventLoop loop, SocketChannel channel, Protocol protocol, Server server) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.server = server;
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
    }

    /**
     * Tells the protocol the connection is made, then starts reading. The key must be attached to
     * this transport already.
     */
    void start() {
        try {
            protocol.connectionMade(this);
        } catch (Exception e) {
            protocolFailed("connectionMade", e);
            return;
        }
        updateInterest();
    }

    // ------------------------------------------------------------------ readiness

    /** The loop found the key ready: read first, then write, re-checking the state between. */
    @Override
    public void run() {
        SelectionKey key = key();
        if (state == CLOSED || !key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0 && isReading()) {
            readReady();
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && state != CLOSED) {
            writeReady();
        }
    }

    /** One read per readiness into the loop-wide buffer: fair to the other connections. */
    private void readReady() {
        ByteBuffer data = LOOP.readBuffer(loop);
        data.clear();
        int n;
        try {
            n = channel.read(data);
        } catch (IOException e) {
            connectionFailed(e);
            return;
        }
        if (n > 0) {
            data.flip();
            try {
                protocol.dataReceived(data);
            } catch (Exception e) {
                protocolFailed("dataReceived", e);
            }
        } else if (n < 0) {
            peerEof();
        }
    }

    /** The peer sent FIN: stop reading, tell the protocol once, close unless it keeps the connection. */
    private void peerEof() {
        eofReceived = true;
        updateInterest();
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (Exception e) {
            protocolFailed("eofReceived", e);
            return;
        }
        if (!keepOpen && state == OPEN) {
            beginClose();
        }
    }

    /** The socket can take more: flush the queue. */
    private void writeReady() {
        if (!hasQueued()) {
            updateInterest();
            return;
        }
        try {
            flushQueue();
        } catch (IOException e) {
            connectionFailed(e);
            return;
        }
        afterFlush();
    }

    /** After some of the queue went: wake waiters, resume the protocol, and close or half-close once it is empty. */
    private void afterFlush() {
        completeFlushWaiters();
        maybeResumeProtocol(); // may write more, or close
        if (state == CLOSED || hasQueued()) {
            updateInterest();
            return;
        }
        if (state == CLOSING) {
            finishClose(null);
            return;
        }
        if (eofRequested) {
            shutdownOutput();
        }
        updateInterest();
    }

    private boolean hasQueued() {
        return buffer != null && !buffer.isEmpty();
    }

    /**
     * Sends from the head of the queue until the socket is full or the queue empty: byte chunks
     * up to the next file segment with one gathering write, a segment with one
     * {@code transferTo}; at most {@link #MAX_FLUSH_ROUNDS} of them.
     */
    private void flushQueue() throws IOException {
        for (int round = 0; round < MAX_FLUSH_ROUNDS && !buffer.isEmpty(); round++) {
            if (buffer.peekFirst() instanceof FileSender.Segment s) {
                long n = s.transfer(channel);
                bytesSent += n;
                fileBytes -= n;
                if (s.done()) {
                    buffer.pollFirst();
                    segmentLeft(s);
                    s.finish(null);
                } else if (n == 0) {
                    return; // the socket is full
                }
                continue;
            }
            long wanted = 0;
            long written;
            ByteBuffer[] gather = GATHER.get();
            int count = 0;
            for (Object o : buffer) {
                if (!(o instanceof ByteBuffer b)) {
                    break;
                }
                gather[count++] = b;
                wanted += b.remaining();
                if (count == MAX_GATHER) {
                    break;
                }
            }
            try {
                written = count == 1 ? channel.write(gather[0]) : channel.write(gather, 0, count);
            } finally {
                Arrays.fill(gather, 0, count, null);
            }
            bufferSize -= written;
            bytesSent += written;
            while (!buffer.isEmpty() && buffer.peekFirst() instanceof ByteBuffer b && !b.hasRemaining()) {
                buffer.pollFirst();
            }
            if (written < wanted) {
                return; // the socket is full
            }
        }
    }

    /** A segment left the queue without sending what is left of it: count that as passed for {@link #flushed()}. */
    private void segmentLeft(FileSender.Segment s) {
        long rest = s.remaining();
        fileBytes -= rest;
        bytesSent += rest;
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
        NetSupport.checkThread(loop, "Transport.write");
        if (!acceptsWrites()) {
            return;
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        int position = data.position();
        try {
            if (!hasQueued()) {
                // Nothing queued: try the socket first, and register OP_WRITE only on a short write.
                int written;
                try {
                    written = channel.write(data);
                } catch (IOException e) {
                    connectionFailed(e);
                    return;
                }
                bytesSent += written;
                if (written == n) {
                    return;
                }
                enqueue(data);
                updateInterest();
            } else {
                enqueue(data);
            }
        } finally {
            data.position(position);
        }
        maybePauseProtocol();
    }

    /**
     * Whether a write may proceed: throws after a local close, abort or writeEof; returns false
     * (the bytes are dropped) once the peer or an error closed the connection, as asyncio does.
     */
    private boolean acceptsWrites() {
        if (state == OPEN) {
            if (eofRequested) {
                throw new IllegalStateException("write() after writeEof() on " + this);
            }
            return true;
        }
        if (closedLocally) {
            throw new IllegalStateException("write() after close() or abort() on " + this, new ClosedChannelException());
        }
        if (++droppedWrites == DROPPED_WRITES_WARNING) {
            LOOP.warn(SocketTransport.class, this + ": writes after the connection was lost are being dropped", null);
        }
        return false;
    }

    /** Copies {@code src}'s remaining bytes to the end of the buffer (advancing src). */
    private void enqueue(ByteBuffer src) {
        int n = src.remaining();
        if (buffer == null) {
            buffer = new ArrayDeque<>(4);
        }
        if (buffer.peekLast() instanceof ByteBuffer tail && tail.capacity() - tail.limit() >= n) {
            int end = tail.limit();
            tail.limit(end + n);
            tail.put(end, src, src.position(), n);
        } else {
            ByteBuffer chunk = ByteBuffer.allocate(Math.max(n, MIN_CHUNK));
            chunk.put(src);
            chunk.flip();
            buffer.addLast(chunk);
        }
        bufferSize += n;
    }

    /**
     * Queues the range as a {@link FileSender.Segment} and, if nothing is queued before it,
     * starts sending at once, as {@link #write} does.
     */
    @Override
    public Future<Long> sendFile(FileChannel file, long position, long count) {
        FileSender.checkArguments(file, position, count);
        NetSupport.checkThread(loop, "Transport.sendFile");
        if (!acceptsWrites()) {
            return NetSupport.failed(loop, new ClosedChannelException());
        }
        Future<Long> future = loop.createFuture();
        FileSender.Segment segment = new FileSender.Segment(file, position, count, future);
        if (buffer == null) {
            buffer = new ArrayDeque<>(4);
        }
        boolean first = buffer.isEmpty();
        buffer.addLast(segment);
        fileBytes += count;
        future.onDone(f -> {
            if (f.isCancelled()) {
                cancelled(segment);
            }
        });
        if (first) {
            try {
                flushQueue();
            } catch (IOException e) {
                connectionFailed(e);
                return future;
            }
            afterFlush();
        }
        return future;
    }

    /** A sendFile future was cancelled: take its segment out of the queue, wherever it is. */
    private void cancelled(FileSender.Segment segment) {
        FileSender.seek(segment.file, segment.start + segment.sent);
        if (state == CLOSED || buffer == null || !buffer.remove(segment)) {
            return;
        }
        segmentLeft(segment);
        log.debug("{}: {} cancelled", this, segment);
        afterFlush();
    }

    @Override
    public void writeEof() {
        NetSupport.checkThread(loop, "Transport.writeEof");
        if (state != OPEN || eofRequested) {
            return;
        }
        eofRequested = true;
        if (!hasQueued()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            connectionFailed(e);
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public Future<Void> flushed() {
        NetSupport.checkThread(loop, "Transport.flushed");
        if (!hasQueued()) {
            return bytesDropped ? NetSupport.failed(loop, new ClosedChannelException()) : NetSupport.completed(loop, null);
        }
        if (flushWaiters == null) {
            flushWaiters = new ArrayDeque<>(2);
        }
        FlushWaiter w = new FlushWaiter(bytesSent + bufferSize + fileBytes, loop.createFuture());
        flushWaiters.addLast(w);
        return w.future;
    }

    private void completeFlushWaiters() {
        if (flushWaiters == null) {
            return;
        }
        while (!flushWaiters.isEmpty() && flushWaiters.peekFirst().target <= bytesSent) {
            flushWaiters.pollFirst().future.complete(null);
        }
    }

    /** A {@link #flushed()} caller: done once {@link #bytesSent} reaches {@code target}. */
    private record FlushWaiter(long target, Future<Void> future) {
    }

    // ------------------------------------------------------------------ flow control

    @Override
    public void setWriteBufferLimits(int high, int low) {
        NetSupport.checkThread(loop, "Transport.setWriteBufferLimits");
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
        if (!protocolPaused && bufferSize > highWater && state == OPEN) {
            protocolPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Exception e) {
                protocolFailed("pauseWriting", e);
            }
        }
    }

    private void maybeResumeProtocol() {
        if (protocolPaused && bufferSize <= lowWater && state == OPEN) {
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
        NetSupport.checkThread(loop, "Transport.pauseReading");
        if (state == OPEN && !readingPaused) {
            readingPaused = true;
            updateInterest();
        }
    }

    @Override
    public void resumeReading() {
        NetSupport.checkThread(loop, "Transport.resumeReading");
        if (state == OPEN && readingPaused) {
            readingPaused = false;
            updateInterest();
        }
    }

    @Override
    public boolean isReading() {
        return state == OPEN && !readingPaused && !eofReceived;
    }

    /** Gives the key the interest set the state calls for, only if it differs from the last one. */
    private void updateInterest() {
        if (state == CLOSED) {
            return;
        }
        int ops = (isReading() ? SelectionKey.OP_READ : 0) | (hasQueued() ? SelectionKey.OP_WRITE : 0);
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
        NetSupport.checkThread(loop, "Transport.close");
        if (state != OPEN) {
            return;
        }
        closedLocally = true;
        beginClose();
    }

    /** OPEN → CLOSING: stop reading; close now if nothing is buffered, else once it is flushed. */
    private void beginClose() {
        state = CLOSING;
        if (!hasQueued()) {
            finishClose(null);
        } else {
            updateInterest();
        }
    }

    @Override
    public void abort() {
        NetSupport.checkThread(loop, "Transport.abort");
        closedLocally = true;
        if (state != CLOSED) {
            forceClose(null);
        }
    }

    @Override
    public boolean isClosing() {
        return state != OPEN;
    }

    /** An I/O error: the connection is gone. Not reported to the exception handler (asyncio logs it at debug). */
    private void connectionFailed(IOException e) {
        log.debug("{}: connection failed", this, e);
        if (state != CLOSED) {
            forceClose(e);
        }
    }

    /** A protocol method threw: report it once, close this connection with it. */
    private void protocolFailed(String method, Exception e) {
        NetSupport.report(loop, "Fatal error: protocol." + method + "() call failed on " + this, e);
        if (state != CLOSED) {
            forceClose(e);
        }
    }

    /** Drops the buffer and closes now. */
    private void forceClose(Throwable cause) {
        if (hasQueued()) {
            bytesDropped = true;
        }
        ArrayDeque<Object> dropped = buffer;
        buffer = null;
        bufferSize = 0;
        fileBytes = 0;
        finishClose(cause);
        if (dropped != null) {
            for (Object o : dropped) {
                if (o instanceof FileSender.Segment s) {
                    s.finish(cause != null ? cause : new ClosedChannelException());
                }
            }
        }
    }

    /** → CLOSED: close the socket now, tell the protocol on the next iteration. */
    private void finishClose(Throwable cause) {
        state = CLOSED;
        interest = 0;
        NetSupport.closeQuietly(channel); // cancels the key; the descriptor goes at the next poll
        if (flushWaiters != null) {
            Throwable failure = cause != null ? cause : new ClosedChannelException();
            for (FlushWaiter w : flushWaiters) {
                w.future.fail(failure);
            }
            flushWaiters = null;
        }
        if (loop.isClosed()) {
            detach();
        } else {
            loop.callSoon(() -> lost(cause));
        }
    }

    private void lost(Throwable cause) {
        try {
            protocol.connectionLost(cause);
        } catch (Exception e) {
            NetSupport.report(loop, "Exception in protocol.connectionLost() of " + this, e);
        } finally {
            detach();
        }
    }

    private void detach() {
        if (server != null) {
            server.detach(this);
        }
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public <T> Transport setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        NetSupport.checkThread(loop, "Transport.setProtocol");
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
            default -> "closed";
        };
        return "Transport[" + localAddress + " -> " + remoteAddress + ", " + s
                + (bufferSize > 0 ? ", buffered=" + bufferSize : "") + (fileBytes > 0 ? ", file bytes=" + fileBytes : "")
                + "]";
    }
}
