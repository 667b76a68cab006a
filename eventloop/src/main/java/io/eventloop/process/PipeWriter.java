package io.eventloop.process;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A child's stdin, written by one thread from a queue the loop fills: asyncio's
 * {@code _UnixWritePipeTransport}, for a pipe the loop cannot select.
 *
 * <p><b>The thread and the loop.</b> {@link #write} copies the bytes into the queue and counts them
 * as buffered; the pipe's thread takes them in order, blocks in {@code write} until the child has
 * room, and reports each chunk written back to the loop, which lowers the count. Above the
 * high-water mark (64 KiB) the protocol is told {@link Protocol#pauseWriting()}, at the low-water
 * mark (16 KiB) {@link Protocol#resumeWriting()}: a {@link io.eventloop.net.StreamWriter}'s
 * {@code drain()} waits on exactly that, as on a socket, so a producer that drains holds at most
 * the high-water mark plus its last write in memory.
 *
 * <p>The thread starts with the first write: a child whose stdin is never written, or only
 * closed, costs no thread (with nothing written, closing cannot block, so the loop thread closes
 * it). It ends after {@link #close()} / {@link #writeEof()} once the queue is written (it closes
 * the pipe, and the child reads EOF), on a write error such as EPIPE, when the child has exited
 * and nothing is queued, after {@link #abort()} once its current write returns, or within a
 * second of the loop closing, once what is queued is written (nobody can write more: the child
 * gets EOF). It closes the stream itself, for the reason {@link PipeReader} gives.
 */
final class PipeWriter extends Pipe {
    private static final int DEFAULT_HIGH = 64 * 1024;

    /** The pipe's thread owns it once started; before, the loop thread does. */
    private final OutputStream out;
    private final Thread thread;

    // Loop thread only:
    private boolean started;
    /** close(), writeEof() or abort() was called, or the pipe was lost. */
    private boolean closing;
    /** close(), writeEof() or abort() was called: writing now is a bug of the caller. */
    private boolean closedHere;
    private boolean lost;
    /** Bytes given to write() and not yet reported written by the thread. */
    private long buffered;
    private int high = DEFAULT_HIGH;
    private int low = DEFAULT_HIGH / 4;
    private boolean protocolPaused;
    private List<Future<Void>> flushWaiters;

    // Shared between the pipe's thread and the loop, guarded by this object's monitor:
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** Write what is queued, then close. */
    private boolean finishRequested;
    /** Drop what is queued and close. */
    private boolean abortRequested;
    /** The child has exited: close once nothing is queued. */
    private boolean exited;

    PipeWriter(EventLoop loop, String name, OutputStream out) {
        super(loop, name);
        this.out = out;
        this.thread = Subprocess.daemonThread(this::writeLoop, "eventloop-subprocess-" + name.replace(' ', '-'));
    }

    /** Connects the protocol. Loop thread. */
    void start(Protocol p) {
        protocol = p;
        p.connectionMade(this);
    }

    private void ensureStarted() {
        if (!started) {
            started = true;
            thread.start();
        }
    }

    /** The pipe's thread. */
    private void writeLoop() {
        Throwable error = null;
        try {
            while (true) {
                byte[] chunk;
                synchronized (this) {
                    while (queue.isEmpty() && !finishRequested && !abortRequested && !exited) {
                        if (loop.isClosed()) {
                            finishRequested = true; // nobody can write any more: the child gets EOF
                            break;
                        }
                        wait(PipeReader.CLOSED_LOOP_CHECK_MILLIS); // see there: a closed loop tells no one
                    }
                    if (abortRequested) {
                        return;
                    }
                    chunk = queue.poll();
                }
                if (chunk == null) {
                    return; // finished, or the child is gone, with nothing left to write
                }
                out.write(chunk);
                out.flush();
                int n = chunk.length;
                if (!post(() -> written(n))) {
                    return;
                }
            }
        } catch (IOException e) {
            error = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                if (error == null) {
                    error = e;
                }
            }
            Throwable cause = error;
            post(() -> lose(cause));
        }
    }

    private boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /** Loop thread: the thread wrote {@code n} bytes. */
    private void written(int n) {
        buffered -= n;
        if (protocolPaused && buffered <= low) {
            protocolPaused = false;
            protocol.resumeWriting();
        }
        if (buffered == 0 && flushWaiters != null) {
            List<Future<Void>> waiters = flushWaiters;
            flushWaiters = null;
            waiters.forEach(w -> w.complete(null));
        }
    }

    /** Loop thread: the pipe is closed; the last call to the protocol, exactly once. */
    private void lose(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        buffered = 0;
        if (flushWaiters != null) {
            List<Future<Void>> waiters = flushWaiters;
            flushWaiters = null;
            waiters.forEach(w -> w.fail(cause != null ? cause : new ClosedChannelException()));
        }
        protocol.connectionLost(cause);
    }

    /**
     * Loop thread: the child has exited. With nothing queued the pipe closes cleanly now (asyncio
     * closes a write pipe whose reader went away with {@code connection_lost(None)} when its buffer
     * is empty); with bytes queued the thread's next write fails with EPIPE and the pipe is lost
     * with that error.
     */
    void processExited() {
        if (lost) {
            return;
        }
        if (closeUnstarted()) {
            return;
        }
        synchronized (this) {
            exited = true;
            notifyAll();
        }
    }

    /**
     * Closes the pipe on the loop thread if no thread was ever started, with connectionLost(null) on
     * the next iteration: nothing was written, so closing cannot block, and a child whose stdin is
     * closed unused costs no thread.
     *
     * @return true if it closed the pipe (or the thread owns it: false)
     */
    private boolean closeUnstarted() {
        if (started) {
            return false;
        }
        started = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing was written: there is nothing a failed close could have lost
        }
        loop.callSoon(() -> lose(null));
        return true;
    }

    /** Whether the pipe's thread is alive: for tests. */
    boolean threadAlive() {
        return thread.isAlive();
    }

    @Override
    public void write(ByteBuffer data) {
        loop.checkThread("write");
        if (closedHere) {
            throw new IllegalStateException("write after close: the " + name + " is " + (lost ? "closed" : "closing"));
        }
        if (lost || !data.hasRemaining()) {
            return; // the child went away: dropped, as a socket transport drops writes after the peer closed
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        ensureStarted();
        synchronized (this) {
            queue.add(copy);
            notifyAll();
        }
        buffered += copy.length;
        if (!protocolPaused && buffered > high) {
            protocolPaused = true;
            protocol.pauseWriting();
        }
    }

    @Override
    public void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        write(ByteBuffer.wrap(data, offset, length));
    }

    /** For a pipe the same as {@link #close()}: the child reads EOF once the queue is written. */
    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    /** Writes what is queued, then closes the pipe (the child reads EOF); connectionLost follows. */
    @Override
    public void close() {
        loop.checkThread("close");
        if (closing) {
            closedHere = true;
            return;
        }
        closing = true;
        closedHere = true;
        if (closeUnstarted()) {
            return;
        }
        synchronized (this) {
            finishRequested = true;
            notifyAll();
        }
    }

    /**
     * Drops what is queued; connectionLost(null) follows on the next iteration. The thread closes
     * the pipe once its current write returns (at once unless the child is not reading).
     */
    @Override
    public void abort() {
        loop.checkThread("abort");
        closedHere = true;
        if (lost) {
            return;
        }
        closing = true;
        if (closeUnstarted()) {
            return;
        }
        synchronized (this) {
            queue.clear();
            abortRequested = true;
            notifyAll();
        }
        loop.callSoon(() -> lose(null));
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    private UnsupportedOperationException writeOnly(String method) {
        return new UnsupportedOperationException(method + ": the " + name + " is write-only");
    }

    @Override
    public void pauseReading() {
        throw writeOnly("pauseReading");
    }

    @Override
    public void resumeReading() {
        throw writeOnly("resumeReading");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need high >= low >= 0: high=" + high + ", low=" + low);
        }
        this.high = high;
        this.low = low;
    }

    @Override
    public int writeBufferHighWaterMark() {
        return high;
    }

    @Override
    public int writeBufferLowWaterMark() {
        return low;
    }

    @Override
    public long writeBufferSize() {
        return buffered;
    }

    @Override
    public Future<Void> flushed() {
        loop.checkThread("flushed");
        Future<Void> f = loop.createFuture();
        if (lost) {
            f.fail(new ClosedChannelException());
        } else if (buffered == 0) {
            f.complete(null);
        } else {
            if (flushWaiters == null) {
                flushWaiters = new ArrayList<>(1);
            }
            flushWaiters.add(f);
        }
        return f;
    }

    @Override
    public String toString() {
        return "PipeWriter[" + name + ", " + buffered + " bytes buffered" + (lost ? ", closed" : closing ? ", closing" : "")
                + "]";
    }
}
