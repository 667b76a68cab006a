package io.eventloop.postgres;

import io.eventloop.Future;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * The body of a {@code COPY ... TO STDOUT}: Parse, Bind, Execute and Sync of the COPY (unnamed),
 * answered by CopyOutResponse, a CopyData per row (or per chunk in the binary format), CopyDone,
 * CommandComplete. Each CopyData goes to the caller's sink as a buffer of its own; while the
 * future the sink returned is pending, the connection stops reading from the socket, so a slow
 * consumer slows the server down (its socket buffer fills, then its COPY waits) instead of piling
 * the table up in memory. A sink that throws or whose future fails fails the call and cancels the
 * COPY on the server (a CancelRequest, as for a cancelled query); what arrives after is dropped.
 * Loop-thread confined.
 */
final class CopyOut extends Bulk {
    private final PgProtocol protocol;
    private final String copySql;
    private final Function<? super ByteBuffer, ? extends Future<?>> sink;
    private String tag;

    CopyOut(PgProtocol protocol, String copySql, Function<? super ByteBuffer, ? extends Future<?>> sink) {
        super(false);
        this.protocol = protocol;
        this.copySql = copySql;
        this.sink = sink;
    }

    @Override
    Step encode(MessageWriter out, Statement st, int chunk) {
        runUnnamed(out, copySql);
        out.begin((byte) 'S');
        out.end();
        return Step.DONE;
    }

    @Override
    void abort(MessageWriter out, String why) {
        throw new IllegalStateException("a COPY TO is written whole"); // encode never leaves it half-written
    }

    @Override
    void message(byte type, ByteBuffer body) {
        switch (type) {
            case 'd' -> deliver(body);
            case 'C' -> tag = Exchange.cstring(body);
            case '1', '2', 'H', 'c' -> { } // ParseComplete, BindComplete, CopyOutResponse, CopyDone
            default -> throw Exchange.unexpected(type, query);
        }
    }

    private void deliver(ByteBuffer body) {
        if (query.future.isDone()) {
            return; // failed or cancelled: the rest is dropped
        }
        byte[] copy = new byte[body.remaining()];
        body.get(copy); // the body is in the loop's read buffer, reused by the next read
        Future<?> done;
        try {
            done = sink.apply(ByteBuffer.wrap(copy));
            if (done == null) {
                throw new NullPointerException("the sink of " + describe() + " returned null, not a Future");
            }
        } catch (RuntimeException e) {
            sinkFailed(e);
            return;
        }
        if (done.isDone()) {
            checkSink(done); // at once: a failed sink is not given the next row
            return;
        }
        protocol.readHold.hold(done, query.future);
        done.onDone(this::checkSink);
    }

    private void checkSink(Future<?> f) {
        if (f.isCancelled() || f.exception() != null) {
            sinkFailed(f.isCancelled() ? new java.util.concurrent.CancellationException("the sink's write was cancelled")
                    : f.exception());
        }
    }

    private void sinkFailed(Throwable e) {
        if (query.future.fail(e)) {
            protocol.abandoned(query);
        }
    }

    @Override
    Object result() {
        return tag;
    }

    @Override
    String describe() {
        return MessageWriter.abbreviate(copySql);
    }
}
