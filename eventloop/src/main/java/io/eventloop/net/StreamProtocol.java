package io.eventloop.net;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The protocol under a {@link StreamReader} / {@link StreamWriter} pair: asyncio's
 * {@code StreamReaderProtocol} with its {@code FlowControlMixin}. It feeds the reader, keeps the
 * writer's drain waiters, and, on a server, runs the connection handler as a task.
 *
 * <p>Loop thread only.
 */
final class StreamProtocol implements Protocol {
    private final EventLoop loop;
    private final StreamReader reader;
    /** The server's connection handler, or null on a client connection. */
    private final BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler;
    private Transport transport;
    private StreamWriter writer;
    private boolean paused;
    private boolean lost;
    private Throwable lostCause;
    private ArrayDeque<Future<Void>> drainWaiters;
    private List<Future<Void>> closeWaiters;

    StreamProtocol(EventLoop loop, StreamReader reader,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler) {
        this.loop = loop;
        this.reader = reader;
        this.handler = handler;
    }

    StreamWriter writer() {
        return writer;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        reader.setTransport(t);
        writer = new StreamWriter(t, this, reader);
        if (handler != null) {
            Task<Object> task = loop.createTask("connection " + t.remoteAddress(), this::runHandler);
            task.onDone(this::handlerDone);
        }
    }

    @SuppressWarnings("unchecked")
    private Future<Object> runHandler() {
        return (Future<Object>) handler.apply(reader, writer);
    }

    /**
     * The handler's task ended: close the connection (gracefully: what it wrote is flushed). A
     * failure is reported once to the exception handler, as asyncio reports an exception of
     * {@code client_connected_cb}; it affects no other connection.
     */
    private void handlerDone(Future<?> task) {
        if (!task.isCancelled() && task.exception() != null) {
            loop.callExceptionHandler(new ErrorContext("Unhandled exception in the connection handler of " + transport,
                    task.exception(), null, task, task instanceof Task<?> t ? t : null));
        }
        if (!transport.isClosing()) {
            transport.close();
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    /** Keeps the connection half-open: the handler may still write, and closes when it is done. */
    @Override
    public boolean eofReceived() {
        reader.feedEof();
        return true;
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost = true;
        lostCause = cause;
        if (cause == null) {
            reader.feedEof();
        } else {
            reader.setException(cause);
        }
        if (drainWaiters != null) {
            for (Future<Void> w : drainWaiters) {
                w.fail(lostError());
            }
            drainWaiters = null;
        }
        if (closeWaiters != null) {
            for (Future<Void> w : closeWaiters) {
                if (cause == null) {
                    w.complete(null);
                } else {
                    w.fail(cause);
                }
            }
            closeWaiters = null;
        }
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        if (drainWaiters != null) {
            ArrayDeque<Future<Void>> waiters = drainWaiters;
            drainWaiters = null;
            for (Future<Void> w : waiters) {
                w.complete(null);
            }
        }
    }

    /** What a drain fails with once the connection is gone: its cause, else ClosedChannelException. */
    Throwable lostError() {
        return lostCause != null ? lostCause : new ClosedChannelException();
    }

    boolean isLost() {
        return lost;
    }

    /** asyncio's {@code _drain_helper}: done now unless paused. */
    Future<Void> drainHelper(Future<Void> done) {
        if (lost) {
            return NetSupport.failed(loop, lostError());
        }
        if (!paused) {
            return done;
        }
        if (drainWaiters == null) {
            drainWaiters = new ArrayDeque<>(2);
        }
        Future<Void> w = loop.createFuture();
        drainWaiters.add(w);
        return w;
    }

    /** Completes when the connection is lost; fails with the cause if it was lost to an error. */
    Future<Void> closed() {
        Future<Void> f = loop.createFuture();
        if (lost) {
            if (lostCause == null) {
                f.complete(null);
            } else {
                f.fail(lostCause);
            }
            return f;
        }
        if (closeWaiters == null) {
            closeWaiters = new ArrayList<>(1);
        }
        closeWaiters.add(f);
        return f;
    }
}
