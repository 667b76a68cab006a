package io.eventloop;

import io.eventloop.internal.IoHandler;
import io.eventloop.internal.LoopAccess;
import io.eventloop.internal.VirtualTime;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The readiness registry of one loop: which channels its {@link Poller} watches, what each
 * selection key is attached to, and what a ready key queues ({@link #dispatch}, phase 2 of
 * {@link Scheduler#runOnce()}).
 *
 * <p>A key carries one of two attachments:
 * <ul>
 *   <li>a {@link ReaderWriter}: the two {@link Handle}s of {@link EventLoop#addReader} and
 *       {@link EventLoop#addWriter}, asyncio's {@code add_reader} / {@code add_writer};</li>
 *   <li>an {@link IoHandler}: a channel driven by {@code io.eventloop.net}, registered through
 *       {@link #register}, which handles both directions itself.</li>
 * </ul>
 * A channel has one or the other, never both. Compared with asyncio's selector event loop: the
 * same two-handle pair as its key data {@code (reader, writer)}; asyncio's transports use that
 * pair too, where ours attach one handler and allocate no handle per readiness.
 *
 * <p>Loop thread only.
 */
final class Readiness {
    /**
     * Size of the loop-wide buffer every transport reads into: 256 KiB, close to what asyncio and
     * uvloop read per call. Against 64 KiB it made 100 KiB echo 1.27x and bulk streaming 1.21x
     * faster, with no change for 1 KiB messages (docs/benchmarks.md, "Echo server"); it costs
     * 192 KiB more per loop, not per connection.
     */
    private static final int READ_BUFFER_SIZE = 256 * 1024;

    private final EventLoop loop;
    private final Poller poller;
    /** The loop's ready queue, where {@link #dispatch} queues what a ready key wakes. */
    private final ReadyQueue ready;
    /**
     * The one direct buffer every transport of this loop reads into, created on first use: one
     * loop thread reads one socket at a time, so one buffer serves them all (instead of a buffer
     * per connection).
     */
    private ByteBuffer readBuffer;

    Readiness(EventLoop loop, Poller poller, ReadyQueue ready) {
        this.loop = loop;
        this.poller = poller;
        this.ready = ready;
    }

    /** What a selection key of {@link EventLoop#addReader} / {@link EventLoop#addWriter} is attached to. */
    static final class ReaderWriter {
        Handle reader;
        Handle writer;
    }

    /**
     * Phase 2, per ready key: queue the reader and/or the writer; they run in phase 4. On the hot
     * path: no allocation, one type test for a transport.
     */
    void dispatch(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment instanceof IoHandler handler) {
            ready.add(handler); // a transport: it reads key.readyOps() itself when it runs
            return;
        }
        ReaderWriter io = (ReaderWriter) attachment;
        int ops;
        try {
            ops = key.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && io.reader != null) {
            ready.add(io.reader);
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && io.writer != null) {
            ready.add(io.writer);
        }
    }

    /** {@link EventLoop#addReader}: a server channel is watched for accept, any other for read. */
    void addReader(SelectableChannel channel, Runnable callback) {
        Objects.requireNonNull(channel, "channel");
        int op = (channel.validOps() & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        add(channel, callback, op, true, "addReader");
    }

    /** {@link EventLoop#addWriter}: a socket still connecting is watched for connect, any other for write. */
    void addWriter(SelectableChannel channel, Runnable callback) {
        Objects.requireNonNull(channel, "channel");
        int op = channel instanceof SocketChannel sc && sc.isConnectionPending()
                ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        add(channel, callback, op, false, "addWriter");
    }

    /** {@link EventLoop#removeReader}. */
    boolean removeReader(SelectableChannel channel) {
        return remove(channel, true, "removeReader");
    }

    /** {@link EventLoop#removeWriter}. */
    boolean removeWriter(SelectableChannel channel) {
        return remove(channel, false, "removeWriter");
    }

    /** The reader handle {@link EventLoop#addReader} registered for {@code channel}, or null. */
    Handle reader(SelectableChannel channel) {
        SelectionKey key = poller.keyFor(channel);
        return key != null && key.attachment() instanceof ReaderWriter io ? io.reader : null;
    }

    /** The writer handle {@link EventLoop#addWriter} registered for {@code channel}, or null. */
    Handle writer(SelectableChannel channel) {
        SelectionKey key = poller.keyFor(channel);
        return key != null && key.attachment() instanceof ReaderWriter io ? io.writer : null;
    }

    /**
     * Registers a channel driven by {@code io.eventloop.net} for {@code ops}, attached to
     * {@code handler}, and gives the handler its key.
     *
     * @throws IllegalArgumentException if the channel is already registered with this loop
     */
    SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        loop.checkThread("register a channel");
        loop.checkNotClosed("register a channel");
        if (poller.keyFor(channel) != null) {
            throw new IllegalArgumentException(channel + " is already registered with " + loop);
        }
        SelectionKey key = poller.register(channel, ops, handler);
        handler.setKey(key);
        return key;
    }

    /** The loop-wide read buffer, created on first use. */
    ByteBuffer readBuffer() {
        ByteBuffer b = readBuffer;
        if (b == null) {
            b = readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
        }
        return b;
    }

    private void add(SelectableChannel channel, Runnable callback, int op, boolean read, String method) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        loop.checkThread("EventLoop." + method);
        loop.checkNotClosed(method);
        if ((channel.validOps() & op) == 0) {
            throw new IllegalArgumentException(method + ": " + channel + " does not support this operation");
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException(method + ": " + channel
                    + " is in blocking mode; call configureBlocking(false) first");
        }
        Handle handle = new Handle(callback);
        SelectionKey key = poller.keyFor(channel);
        try {
            if (key == null) {
                ReaderWriter io = new ReaderWriter();
                set(io, read, handle);
                poller.register(channel, op, io);
                return;
            }
            if (!(key.attachment() instanceof ReaderWriter io)) {
                throw new IllegalArgumentException(method + ": " + channel + " is driven by a transport or server");
            }
            Handle old = read ? io.reader : io.writer;
            if (old != null) {
                old.cancel();
            }
            set(io, read, handle);
            int keep = read ? (key.interestOps() & ~(SelectionKey.OP_READ | SelectionKey.OP_ACCEPT))
                    : (key.interestOps() & ~(SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT));
            key.interestOps(keep | op);
        } catch (ClosedChannelException | CancelledKeyException e) {
            throw new IllegalArgumentException(method + ": " + channel + " is closed", e);
        }
    }

    private static void set(ReaderWriter io, boolean read, Handle handle) {
        if (read) {
            io.reader = handle;
        } else {
            io.writer = handle;
        }
    }

    private boolean remove(SelectableChannel channel, boolean read, String method) {
        Objects.requireNonNull(channel, "channel");
        if (loop.isClosed()) {
            return false;
        }
        loop.checkThread("EventLoop." + method);
        SelectionKey key = poller.keyFor(channel);
        if (key == null || !(key.attachment() instanceof ReaderWriter io)) {
            return false;
        }
        Handle old = read ? io.reader : io.writer;
        if (old == null) {
            return false;
        }
        old.cancel(); // a dispatch already queued for this iteration must not run
        set(io, read, null);
        if (key.isValid()) {
            int drop = read ? (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) : (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
            // interestOps(0) rather than key.cancel(): a cancelled key lingers until the next select
            key.interestOps(key.interestOps() & ~drop);
        }
        return true;
    }

    /**
     * What {@code io.eventloop.net} reaches of a loop, through {@link LoopAccess}: the parts that
     * take or return an internal type, or would be a trap as public API (a shared scratch buffer,
     * a scheduling hint). Installed once, by {@link EventLoop}'s static initialiser.
     */
    static final class NetAccess implements LoopAccess.Bridge {
        @Override
        public SelectionKey register(EventLoop loop, SelectableChannel channel, int ops, IoHandler handler)
                throws ClosedChannelException {
            return loop.readiness.register(channel, ops, handler);
        }

        @Override
        public ByteBuffer readBuffer(EventLoop loop) {
            return loop.readiness.readBuffer();
        }

        @Override
        public Handle reader(EventLoop loop, SelectableChannel channel) {
            return loop.readiness.reader(channel);
        }

        @Override
        public Handle writer(EventLoop loop, SelectableChannel channel) {
            return loop.readiness.writer(channel);
        }

        @Override
        public void releaseClosed(EventLoop loop) {
            loop.releaseClosed();
        }

        @Override
        public EventLoop newLoop(EventLoop.Options options, VirtualTime time, String name) {
            EventLoop loop = new EventLoop(options, time::nanoTime, new NioPoller());
            loop.scheduler.virtualTime = time;
            loop.name = name;
            return loop;
        }

        @Override
        public void warn(Class<?> category, String message, Throwable error) {
            LoopLog.warn(category, message, error);
        }
    }
}
