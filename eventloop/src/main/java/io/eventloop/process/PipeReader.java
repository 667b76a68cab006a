package io.eventloop.process;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A child's stdout or stderr, read by one thread and delivered to a {@link Protocol} on the loop:
 * the read side of asyncio's {@code _UnixReadPipeTransport}, for a pipe the loop cannot select
 * (Java gives a child's pipes only as blocking streams).
 *
 * <p><b>The thread and the loop.</b> The pipe's thread blocks in {@code read}, then hands the
 * chunk to the loop with {@link EventLoop#callSoonThreadsafe}. It reads into two buffers in turn
 * and posts a chunk only once the loop has delivered the previous one and the protocol has not
 * paused reading ({@link #pauseReading()}, which a {@link io.eventloop.net.StreamReader} calls above
 * twice its limit): between the pipe and the reader's buffer there are never more than two chunks,
 * and a child that writes faster than the program reads blocks in its own {@code write}, as it
 * would on a selectable pipe whose transport stopped reading. The thread ends at EOF, on a read
 * error, after {@link #close()} (once its current read returns), or when the loop has closed; it
 * closes the stream itself on the way out: closing a stream another thread is blocked reading
 * would not wake it, and the descriptor number could be reused under it.
 *
 * <pre>
 *   pipe thread:  read(buf A) ─▶ wait until (!inFlight and !paused) ─▶ inFlight = true ─▶ post(deliver A)
 *                 read(buf B) ─▶ wait ...                      (A is free again once delivered)
 *   loop thread:  deliver: protocol.dataReceived(A) [may call pauseReading] ─▶ inFlight = false, notify
 * </pre>
 *
 * <p>Compared with a socket {@link Transport}: read-only ({@code write} and friends throw
 * {@link UnsupportedOperationException}), no addresses (null), no socket options.
 */
final class PipeReader extends Pipe {
    /** One read's size: the capacity of a Linux pipe, so one read usually empties it. */
    static final int CHUNK = 64 * 1024;
    /**
     * How often a pipe thread that waits on the loop checks whether the loop has closed. The loop
     * has no close hook to wake it, and a closed loop will never deliver or resume; once a second
     * costs nothing, and after that second the pipe is closed and the child sees it.
     */
    static final long CLOSED_LOOP_CHECK_MILLIS = 1000;

    /** The pipe's thread owns it: it reads it and closes it. */
    private final InputStream in;
    private final Thread thread;

    // Loop thread only:
    /** close() was called or the pipe ended: nothing more reaches the protocol but connectionLost. */
    private boolean closing;
    private boolean lost;

    // Shared between the pipe's thread and the loop, guarded by this object's monitor:
    /** A chunk was posted to the loop and not yet delivered: its buffer is not to be reused. */
    private boolean inFlight;
    /** The protocol asked to stop reading. */
    private boolean paused;
    /** close() was called: the thread stops after its current read. */
    private boolean stopRequested;

    PipeReader(EventLoop loop, String name, InputStream in) {
        super(loop, name);
        this.in = in;
        this.thread = Subprocess.daemonThread(this::readLoop, "eventloop-subprocess-" + name.replace(' ', '-'));
    }

    /** Connects the protocol and starts the pipe's thread. Loop thread. */
    void start(Protocol p) {
        protocol = p;
        p.connectionMade(this);
        thread.start();
    }

    /** The pipe's thread. */
    private void readLoop() {
        byte[][] buffers = {new byte[CHUNK], new byte[CHUNK]};
        int which = 0;
        try {
            while (true) {
                byte[] b = buffers[which];
                int n = in.read(b);
                if (n < 0) {
                    post(this::eof); // EOF carries no bytes: it need not wait for a paused reader
                    return;
                }
                if (!awaitTurn()) {
                    return; // closed while we read
                }
                if (!post(() -> deliver(b, n))) {
                    return;
                }
                which ^= 1;
            }
        } catch (IOException e) {
            post(() -> lose(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // only an outsider interrupts this thread: stop reading
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // a pipe's close does not fail in a way anyone could act on
            }
        }
    }

    /**
     * Waits until the previous chunk was delivered and reading is not paused; false once stopped,
     * or once the loop has closed: a closed loop delivers nothing and resumes nobody, and it tells
     * no one it closed, so a waiting thread looks every {@link #CLOSED_LOOP_CHECK_MILLIS}.
     */
    private synchronized boolean awaitTurn() throws InterruptedException {
        while ((inFlight || paused) && !stopRequested) {
            if (loop.isClosed()) {
                return false;
            }
            wait(CLOSED_LOOP_CHECK_MILLIS);
        }
        if (stopRequested) {
            return false;
        }
        inFlight = true;
        return true;
    }

    /** Hands {@code r} to the loop; false if the loop has closed (then nobody will ever read this pipe). */
    private boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /** Loop thread: one chunk arrives. The protocol copies what it keeps (a StreamReader does). */
    private void deliver(byte[] b, int n) {
        try {
            if (!closing) {
                protocol.dataReceived(ByteBuffer.wrap(b, 0, n));
            }
        } finally {
            synchronized (this) {
                inFlight = false;
                notifyAll();
            }
        }
    }

    /** Loop thread: the child closed its end (it exited, or closed the stream). */
    private void eof() {
        if (closing) {
            return;
        }
        closing = true;
        protocol.eofReceived();
        lose(null);
    }

    /** Loop thread: the last call to the protocol, exactly once. */
    private void lose(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        protocol.connectionLost(cause);
    }

    /** Whether the pipe's thread is still alive: for tests and {@link Subprocess#toString()}. */
    boolean threadAlive() {
        return thread.isAlive();
    }

    /**
     * Stops delivering: the protocol gets {@code connectionLost(null)} on the next iteration and
     * nothing more; the thread stops and closes the pipe when its current read returns (so a child
     * that goes on writing gets EPIPE, as after asyncio's close of the read end).
     */
    @Override
    public void close() {
        loop.checkThread("close");
        if (closing) {
            return;
        }
        closing = true;
        synchronized (this) {
            stopRequested = true;
            notifyAll();
        }
        loop.callSoon(() -> lose(null));
    }

    /** The same as {@link #close()}: a read pipe has nothing buffered to drop. */
    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public synchronized void pauseReading() {
        paused = true;
    }

    @Override
    public synchronized void resumeReading() {
        paused = false;
        notifyAll();
    }

    @Override
    public boolean isReading() {
        synchronized (this) {
            if (paused) {
                return false;
            }
        }
        return !closing;
    }

    private UnsupportedOperationException readOnly(String method) {
        return new UnsupportedOperationException(method + ": the " + name + " is read-only");
    }

    @Override
    public void write(ByteBuffer data) {
        throw readOnly("write");
    }

    @Override
    public void write(byte[] data) {
        throw readOnly("write");
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        throw readOnly("write");
    }

    @Override
    public void writeEof() {
        throw readOnly("writeEof");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw readOnly("setWriteBufferLimits");
    }

    @Override
    public int writeBufferHighWaterMark() {
        return 0;
    }

    @Override
    public int writeBufferLowWaterMark() {
        return 0;
    }

    @Override
    public long writeBufferSize() {
        return 0;
    }

    @Override
    public Future<Void> flushed() {
        Future<Void> f = loop.createFuture();
        f.complete(null);
        return f;
    }

    @Override
    public String toString() {
        return "PipeReader[" + name + (lost ? ", closed" : closing ? ", closing" : "") + "]";
    }
}
