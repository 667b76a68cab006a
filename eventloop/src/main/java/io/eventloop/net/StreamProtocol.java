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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol under a {@link StreamReader} / {@link StreamWriter} pair: asyncio's
 * {@code StreamReaderProtocol} with its {@code FlowControlMixin}. It feeds the reader, keeps the
 * writer's drain waiters, and, on a server, runs the connection handler as a task.
 *
 * <p><b>The handler's contract.</b> When the handler's future completes, the connection is closed
 * gracefully (what it wrote is flushed first). When it fails, one of two things happens:
 * <ul>
 * <li>The failure is the connection's own loss: the very exception this connection was lost with
 * (a reset, a broken pipe: what its reads and drains fail with), the one
 * {@link ClosedChannelException} its drains fail with after a clean loss or an {@code abort()},
 * or an exception whose cause chain holds one of those. A peer going away is a normal event for a
 * server (the transport logs the I/O error at DEBUG, as asyncio's {@code _fatal_error} does for an
 * {@code OSError}), so the handler passing it on is logged at DEBUG too and reported nowhere.
 * <li>Anything else (a {@code NullPointerException}, an {@code IOException} from a file, a
 * {@link LimitOverrunException}, an {@link IncompleteReadException}) is a failure of the handler:
 * reported once to the loop's exception handler, as asyncio reports an exception of
 * {@code client_connected_cb}.
 * </ul>
 * asyncio reports both through the exception handler, so a server whose clients reset logs an
 * ERROR and a stack trace per reset (an echo server under 20,000 resets wrote 30 MB of log and lost
 * a third of its accept rate). We tell them apart by identity, not by type, so that an
 * {@code IOException} unrelated to this connection's loss is still reported.
 *
 * <p>Loop thread only.
 */
final class StreamProtocol implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(StreamProtocol.class);
    /** How deep {@link #isTheLoss} follows a cause chain: a bound, in case a chain loops. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private final EventLoop loop;
    private final StreamReader reader;
    /** The server's connection handler, or null on a client connection. */
    private final BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler;
    private Transport transport;
    private StreamWriter writer;
    private boolean paused;
    private boolean lost;
    /** The cause connectionLost was given: null after a clean loss (EOF, close, abort). */
    private Throwable lostCause;
    /** What reads and drains fail with after a clean loss: made once, so that it can be recognised. */
    private ClosedChannelException closedError;
    private ArrayDeque<Future<Void>> drainWaiters;
    private List<Future<Void>> closeWaiters;

    StreamProtocol(EventLoop loop, StreamReader reader,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler) {
        this.loop = loop;
        this.reader = reader;
        this.handler = handler;
    }

    /** The writer, made on connectionMade: null before. */
    StreamWriter writer() {
        return writer;
    }

    StreamReader reader() {
        return reader;
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
     * failure is reported once to the exception handler unless it is the connection's own loss
     * (see the class comment); it affects no other connection.
     */
    private void handlerDone(Future<?> task) {
        Throwable failure = task.isCancelled() ? null : task.exception();
        if (failure != null && isTheLoss(failure)) {
            log.debug("{}: the connection handler ended with the connection's loss", transport, failure);
        } else if (failure != null) {
            loop.callExceptionHandler(new ErrorContext("Unhandled exception in the connection handler of " + transport,
                    failure, null, task, task instanceof Task<?> t ? t : null));
        }
        if (!transport.isClosing()) {
            transport.close();
        }
    }

    /** Whether {@code failure} is, or was caused by, the error this connection's futures failed with when it was lost. */
    private boolean isTheLoss(Throwable failure) {
        if (!lost) {
            return false;
        }
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t == lostCause || t == closedError) {
                return true;
            }
        }
        return false;
    }

    /** After {@link StreamWriter#startTls}: the TLS transport now carries this connection. */
    void replaceTransport(Transport t) {
        transport = t;
        reader.setTransport(t);
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

    /**
     * What a drain fails with once the connection is gone: its cause, else one
     * ClosedChannelException (the same each time, so {@link #isTheLoss} knows it).
     */
    Throwable lostError() {
        if (lostCause != null) {
            return lostCause;
        }
        if (closedError == null) {
            closedError = new ClosedChannelException();
        }
        return closedError;
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
