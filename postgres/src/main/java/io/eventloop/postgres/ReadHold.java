package io.eventloop.postgres;

import io.eventloop.Future;
import java.nio.ByteBuffer;

/**
 * The connection's reading, stopped while a COPY's sink has not taken the last chunk: the
 * transport stops reading the socket ({@code pauseReading}), what was already read waits unparsed
 * in the protocol's partial buffer, and the server, its socket full, waits in its COPY. When the
 * sink's future completes (or the COPY's own future does: a cancelled COPY does not wait for its
 * sink), reading resumes with what waited. asyncio's {@code transport.pause_reading()} used the
 * same way by a protocol whose consumer is slow. Loop-thread confined.
 */
final class ReadHold {
    private final PgProtocol protocol;
    /** What reading waits for; null when it does not wait. */
    private Future<?> until;

    ReadHold(PgProtocol protocol) {
        this.protocol = protocol;
    }

    boolean active() {
        return until != null;
    }

    /** Stops reading until {@code until} or {@code orUntil} completes. */
    void hold(Future<?> until, Future<?> orUntil) {
        if (protocol.phase == PgProtocol.Phase.CLOSED || protocol.transport == null) {
            return;
        }
        this.until = until;
        protocol.transport.pauseReading();
        until.onDone(f -> resume(until));
        orUntil.onDone(f -> resume(until));
    }

    private void resume(Future<?> which) {
        if (until != which) {
            return; // resumed already, or a later hold
        }
        until = null;
        if (protocol.phase != PgProtocol.Phase.CLOSED && !protocol.transport.isClosing()) {
            protocol.transport.resumeReading();
            protocol.dataReceived(ByteBuffer.allocate(0)); // what was read before the hold
        }
    }

    /** The connection is gone: nothing to resume. */
    void release() {
        until = null;
    }
}
