package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS between a transport that carries records (a socket's) and the application's protocol:
 * asyncio's {@code SSLProtocol} and {@code _SSLProtocolTransport} in one object. The raw
 * transport feeds {@link #lower} (a {@link Protocol}); the application's protocol is fed by, and
 * writes to, this {@link Transport}. An {@link SSLEngine} does the cryptography on the loop
 * thread; its delegated tasks (certificate checks, key exchange) run on the loop's default
 * executor, and the connection waits for them without blocking the loop.
 *
 * <pre>
 *   HANDSHAKING ──handshake done──&gt; OPEN ──close() / peer's close_notify or EOF──&gt; SHUTTING_DOWN
 *       │                            │                                                 │
 *       └── error / timeout / abort ─┴─────────────────────────────────────────────────┴──&gt; CLOSED
 * </pre>
 * SHUTTING_DOWN sends what is pending, then {@code close_notify}, and waits for the peer's (or its
 * EOF) at most the shutdown timeout before closing the socket; CLOSED means the socket is closed
 * or closing and nothing more is read or written. The application is told
 * {@link Protocol#connectionLost} when the raw transport is gone, never before.
 *
 * <p><b>Buffers.</b> Idle connections hold none: ciphertext is unwrapped straight from the raw
 * transport's read buffer and records are wrapped into a scratch buffer of the loop thread, so
 * only a record split across reads, or plaintext written before the handshake finished, is kept
 * per connection. Flow control: the raw transport's water marks are this transport's, and the
 * application is paused while the raw transport is (or while plaintext waiting for the handshake
 * passes the high-water mark).
 *
 * <p>Loop thread only.
 */
final class TlsTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);

    private static final byte HANDSHAKING = 0;
    private static final byte OPEN = 1;
    private static final byte SHUTTING_DOWN = 2;
    private static final byte CLOSED = 3;

    /**
     * Records wrapped into one raw write at most: an application write of up to 256 KiB leaves in
     * one socket write, as asyncio's {@code SSLProtocol._do_write} sends all the records of a
     * write at once. A bound of four records sent a 64 KiB write, which the JDK cuts into four
     * records of 16,367 bytes and a short one, in two socket writes (docs/benchmarks.md, "TLS").
     */
    private static final int MAX_RECORDS_PER_WRITE = 16;
    /** The most plaintext a TLS record carries (RFC 8446 section 5.1). */
    private static final int MAX_RECORD_PLAINTEXT = 16 * 1024;
    /**
     * Plaintext handed to one {@code dataReceived} at most: the records of one socket read are
     * delivered together, as the plain transport delivers a read (into a buffer of this size) and
     * as asyncio's {@code SSLProtocol._do_read__copied} joins its chunks into one
     * {@code data_received} (its {@code max_size} is 256 KiB too). One call per record made an
     * echo of 64 KiB cost four socket writes instead of one (docs/benchmarks.md, "TLS").
     */
    private static final int MAX_DELIVERY = 256 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}, as in SocketTransport. */
    private static final int DROPPED_WRITES_WARNING = 5;

    private final EventLoop loop;
    private final TlsConfig config;
    /** The name the client checks the certificate against, or null on a server. */
    private final String serverName;
    /** Whether the application protocol is told connectionMade (not after startTls: it knows). */
    private final boolean announce;
    /** What the raw transport calls. */
    final Protocol lower = new Lower();
    /**
     * Completes with this transport once the handshake is done; fails with what ended it. Null
     * on a server, where nobody waits for it (and a failed future nobody looks at is reported).
     */
    final Future<Transport> handshake;

    // Everything below: loop thread only.
    private Protocol app;
    private Transport raw;
    private SSLEngine engine;
    private byte state = HANDSHAKING;
    /** Whether the application protocol knows this connection (and so gets connectionLost). */
    private boolean appKnows;
    private boolean closedLocally;
    /** What ended the connection with an error, for connectionLost; null on a clean close. */
    private Throwable failure;
    private boolean tasksRunning;
    private boolean driving;
    private boolean driveAgain;
    private boolean appReadingPaused;
    private boolean appWritingPaused;
    private boolean rawWritingPaused;
    /** The peer closed its side of TCP. */
    private boolean peerEof;
    /** The application was told its input ended (close_notify or EOF). */
    private boolean inputDone;
    /**
     * The peer's close_notify arrived. Kept here because the JDK's engine may report its inbound
     * side done after our own closeOutbound(), before the peer has answered.
     */
    private boolean closeNotifyReceived;
    private boolean rawCloseRequested;
    /** The handshake timer, then the shutdown timer. */
    private TimerHandle timer;
    /** Ciphertext not yet unwrapped (read mode), or null: only a record split across reads. */
    private ByteBuffer inbound;
    /** While the raw transport's dataReceived runs and nothing was left over: its buffer. */
    private ByteBuffer source;
    /** Plaintext written before it could be wrapped (handshake, delegated task), in read mode. */
    private ArrayDeque<ByteBuffer> pending;
    private long pendingBytes;
    private List<Future<Void>> pendingFlushWaiters;
    private int highWater = SocketTransport.DEFAULT_HIGH_WATER;
    private int lowWater = SocketTransport.DEFAULT_HIGH_WATER / 4;
    private int droppedWrites;

    /**
     * @param serverName the client's target name (SNI, hostname check); ignored on a server
     * @param announce whether to call the application's connectionMade once the handshake is done
     */
    TlsTransport(EventLoop loop, TlsConfig config, String serverName, Protocol app, boolean announce) {
        this.loop = loop;
        this.config = config;
        this.serverName = config.isServer() ? null : serverName;
        this.app = Objects.requireNonNull(app, "the protocol factory returned null");
        this.announce = announce;
        this.appKnows = !announce;
        this.handshake = config.isServer() && announce ? null : loop.createFuture();
    }

    /** Starts the handshake over {@code transport}, which already delivers to {@link #lower}. */
    void start(Transport transport) {
        raw = transport;
        raw.setWriteBufferLimits(highWater, lowWater);
        try {
            engine = config.isServer() ? config.newEngine(null, -1)
                    : config.newEngine(serverName, raw.remoteAddress() instanceof InetSocketAddress a ? a.getPort() : -1);
            engine.beginHandshake();
        } catch (SSLException | RuntimeException e) {
            fail(e, false);
            return;
        }
        timer = loop.callLater(config.handshakeTimeout(), this::handshakeTimedOut);
        raw.resumeReading(); // startTls may come while the protocol had paused it
        drive();
    }

    // ------------------------------------------------------------------ the engine

    /**
     * Does everything the engine can do now: handshake steps, pending plaintext out, records in.
     * Re-entrant calls (a write from inside dataReceived, a task finishing) ask for one more pass
     * instead of nesting.
     */
    private void drive() {
        if (driving) {
            driveAgain = true;
            return;
        }
        driving = true;
        try {
            do {
                driveAgain = false;
                step();
            } while (driveAgain && state != CLOSED);
            maybeCloseRaw();
        } catch (SSLException e) {
            fail(e, true);
        } finally {
            driving = false;
        }
    }

    /** Each pass makes progress (a record in or out, a state change) or returns. */
    private void step() throws SSLException {
        while (state != CLOSED && !tasksRunning) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    runTasks();
                    return;
                }
                case NEED_WRAP -> {
                    if (wrap(EMPTY) == 0 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        // Never seen; without it this loop would spin on a confused engine
                        throw new SSLException("the TLS engine asks to send and produces nothing");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return;
                    }
                }
                default -> { // NOT_HANDSHAKING
                    if (state == HANDSHAKING) {
                        handshakeDone();
                    } else if (pending != null && !engine.isOutboundDone()) {
                        if (!flushPending()) {
                            return;
                        }
                    } else if (state == SHUTTING_DOWN && !engine.isOutboundDone()) {
                        engine.closeOutbound(); // then NEED_WRAP: close_notify
                        wrap(EMPTY);
                    } else if (!unwrap()) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Wraps {@code src} (empty for handshake and close messages) into records and writes them
     * together, {@link #MAX_RECORDS_PER_WRITE} at most to a raw write; returns the number of
     * bytes of records produced.
     */
    private int wrap(ByteBuffer src) throws SSLException {
        int produced = 0;
        int packet = engine.getSession().getPacketBufferSize();
        // a record per 16 KiB, one more for the JDK's slightly shorter records, one for the rest
        int records = Math.min(MAX_RECORDS_PER_WRITE, src.remaining() / MAX_RECORD_PLAINTEXT + 2);
        ByteBuffer out = Scratch.take(true, packet * records);
        try {
            while (state != CLOSED) {
                SSLEngineResult r = engine.wrap(src, out);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    if (out.position() == 0) {
                        throw new SSLException("the engine needs a larger packet buffer than its session says: " + r);
                    }
                    send(out);
                    continue;
                }
                produced += r.bytesProduced();
                HandshakeStatus hs = r.getHandshakeStatus();
                boolean more = r.getStatus() != SSLEngineResult.Status.CLOSED
                        && (src.hasRemaining() && r.bytesConsumed() > 0 || hs == HandshakeStatus.NEED_WRAP);
                if (!more) {
                    break;
                }
                if (out.remaining() < packet) {
                    send(out);
                }
            }
            send(out);
            return produced;
        } finally {
            Scratch.give(true, out);
        }
    }

    private void send(ByteBuffer out) {
        out.flip();
        if (out.hasRemaining() && state != CLOSED) {
            raw.write(out); // copies what the socket does not take now
        }
        out.clear();
    }

    /**
     * Unwraps the records that have arrived and hands their plaintext to the application in one
     * call (up to {@link #MAX_DELIVERY}). Stops early at anything but application data (a
     * handshake message, close_notify, an incomplete record): that record's outcome is dealt with
     * after the data before it is delivered. Returns false when there is nothing to do (no
     * complete record, or the application paused reading).
     */
    private boolean unwrap() throws SSLException {
        ByteBuffer src = inbound != null ? inbound : source;
        if (src == null || !src.hasRemaining() || appReadingPaused && state == OPEN || closeNotifyReceived) {
            return false;
        }
        // A record's plaintext is shorter than the record: room for all that arrived, or one record.
        int size = Math.max(engine.getSession().getApplicationBufferSize(), Math.min(src.remaining(), MAX_DELIVERY));
        ByteBuffer out = Scratch.take(false, size);
        try {
            SSLEngineResult r;
            int consumed = 0;
            do {
                r = engine.unwrap(src, out); // BUFFER_OVERFLOW once out is full: deliver, then go on
                consumed += r.bytesConsumed();
            } while (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() > 0
                    && r.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && src.hasRemaining());
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && out.position() == 0) {
                throw new SSLException("the engine needs a larger buffer than its session says: " + r);
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                checkRecordLength(src);
            }
            out.flip();
            boolean produced = out.hasRemaining();
            if (produced && state == OPEN) {
                try {
                    app.dataReceived(out);
                } catch (Exception e) {
                    protocolFailed("dataReceived", e);
                }
            } // else: data arriving after close() is dropped, as a closing socket stops reading
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                closeNotifyReceived = true;
                inputEnded();
                return true;
            }
            if (state == OPEN && r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                    && r.getHandshakeStatus() != HandshakeStatus.FINISHED && !isTls13()) {
                // TLS 1.2 renegotiation: refused, as by most servers since CVE-2009-3555 and as
                // TLS 1.3 removed it. (1.3's post-handshake messages are not a new handshake.)
                throw new SSLException("the peer asked to renegotiate; renegotiation is refused");
            }
            return consumed > 0 || produced;
        } finally {
            Scratch.give(false, out);
        }
    }

    /**
     * Before waiting for the rest of a record during the handshake: refuses one whose header
     * announces more than TLS allows, 2^14 + 2048 bytes (RFC 5246 section 6.2.3; RFC 8446 section
     * 5.2 allows less). The JDK's engine takes records of up to 33,093 bytes
     * ({@code SSLRecord.maxLargeRecordSize}, for peers that send large fragments) and answers such a
     * header with BUFFER_UNDERFLOW, so a client that sent one and stopped held its connection, and a
     * buffer of that size, until the handshake timeout. Only during the handshake: once the peer is
     * authenticated, the JDK's tolerance of large fragments is kept (refusing them always was the
     * alternative; it would break the peers the JDK makes room for).
     */
    private void checkRecordLength(ByteBuffer src) throws SSLException {
        int at = src.position();
        if (state != HANDSHAKING || src.remaining() < 5 || (src.get(at) & 0x80) != 0) {
            return; // not a whole TLS header yet, or an SSLv2-format hello (the engine has judged it)
        }
        int length = (src.get(at + 3) & 0xff) << 8 | src.get(at + 4) & 0xff;
        if (length > (1 << 14) + 2048) {
            throw new SSLProtocolException("the peer announced a TLS record of " + length
                    + " bytes, more than the 2^14 + 2048 that TLS allows (record_overflow)");
        }
    }

    private boolean isTls13() {
        return "TLSv1.3".equals(engine.getSession().getProtocol());
    }

    /** Runs the engine's delegated tasks on the default executor, and goes on on the loop. */
    private void runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
            tasks.add(t);
        }
        tasksRunning = true;
        Future<Object> done;
        try {
            done = loop.runInExecutor(null, () -> {
                for (Runnable t : tasks) {
                    t.run(); // a failure inside is kept by the engine and thrown by its next wrap/unwrap
                }
                return null;
            });
        } catch (RuntimeException e) { // the executor is shutting down with the loop
            tasksRunning = false;
            fail(e, false);
            return;
        }
        done.onDone(f -> {
            tasksRunning = false;
            if (f.exception() != null) {
                fail(f.exception(), false);
            } else if (state != CLOSED) {
                drive();
            }
        });
    }

    private void handshakeDone() {
        state = OPEN;
        cancelTimer();
        if (announce) {
            appKnows = true;
            try {
                app.connectionMade(this);
            } catch (Exception e) {
                protocolFailed("connectionMade", e);
                if (handshake != null) {
                    handshake.fail(e);
                }
                return;
            }
        }
        if (handshake != null) {
            handshake.complete(this);
        }
        if (state == OPEN && appReadingPaused) {
            raw.pauseReading();
        }
        updateAppWriting();
    }

    /** Moves pending plaintext into records; false if the engine could not take all of it. */
    private boolean flushPending() throws SSLException {
        while (!pending.isEmpty()) {
            ByteBuffer b = pending.peekFirst();
            int before = b.remaining();
            wrap(b);
            pendingBytes -= before - b.remaining();
            if (state == CLOSED || b.hasRemaining()) {
                return false;
            }
            pending.pollFirst();
        }
        pending = null;
        pendingBytes = 0;
        if (pendingFlushWaiters != null) {
            List<Future<Void>> waiters = pendingFlushWaiters;
            pendingFlushWaiters = null;
            for (Future<Void> w : waiters) {
                raw.flushed().onDone(f -> copy(f, w));
            }
        }
        updateAppWriting();
        return true;
    }

    private static void copy(Future<Void> from, Future<Void> to) {
        if (from.exception() != null) {
            to.fail(from.exception());
        } else if (from.isCancelled()) {
            to.cancel();
        } else {
            to.complete(null);
        }
    }

    // ------------------------------------------------------------------ what the raw transport reports

    /** The protocol the raw transport feeds: everything it says goes through the engine. */
    final class Lower implements Protocol {
        TlsTransport tls() {
            return TlsTransport.this;
        }

        @Override
        public void connectionMade(Transport transport) {
            start(transport);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (state == CLOSED) {
                return;
            }
            if (inbound == null) {
                source = data;
                try {
                    drive();
                } finally {
                    source = null;
                }
                if (data.hasRemaining() && state != CLOSED) {
                    // A record split across reads: keep its start, room for a whole record
                    inbound = ByteBuffer.allocate(Math.max(data.remaining(), engine.getSession().getPacketBufferSize()));
                    inbound.put(data).flip();
                }
            } else {
                append(data);
                drive();
                if (inbound != null && !inbound.hasRemaining()) {
                    inbound = null; // idle connections keep no buffer
                }
            }
        }

        @Override
        public boolean eofReceived() {
            peerEof = true;
            if (state == HANDSHAKING) {
                IOException e = new SSLHandshakeException(peer() + " closed the connection during the TLS handshake");
                log.debug("{}", e.getMessage());
                fail(e, false);
                return false;
            }
            // Not engine.closeInbound(): before the peer's close_notify the JDK answers that with a
            // fatal alert ("possible truncation attack"). An EOF is passed on as an EOF, as asyncio
            // does; a protocol that must know its message is whole has a length for it.
            if (inbound != null && inbound.hasRemaining()) {
                log.debug("{}: EOF in the middle of a TLS record ({} bytes)", TlsTransport.this, inbound.remaining());
            }
            if (state == OPEN) {
                return inputEnded();
            }
            maybeCloseRaw();
            return true; // SHUTTING_DOWN: maybeCloseRaw closes once our close_notify is out
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost(cause);
        }

        @Override
        public void pauseWriting() {
            rawWritingPaused = true;
            updateAppWriting();
        }

        @Override
        public void resumeWriting() {
            rawWritingPaused = false;
            updateAppWriting();
        }

        @Override
        public String toString() {
            return "TLS under " + app;
        }
    }

    private void append(ByteBuffer data) {
        int n = data.remaining();
        if (inbound.capacity() - inbound.limit() < n) {
            int needed = inbound.remaining() + n;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, inbound.capacity()));
            bigger.put(inbound).flip();
            inbound = bigger;
        }
        int end = inbound.limit();
        inbound.limit(end + n);
        inbound.put(end, data, data.position(), n);
        data.position(data.limit());
    }

    /**
     * The peer's input ended: its close_notify, or TCP EOF without one. The application is told
     * once, then the connection shuts down whatever {@code eofReceived} returns: asyncio's rule
     * (it warns that returning true "has no effect when using ssl"). A peer that sent
     * close_notify waits for ours, so keeping the connection half-open would make it wait for our
     * application; and TLS 1.2 has no half-close at all. Returns what the raw transport should do
     * with its own EOF: keep open, for the shutdown to send close_notify and close.
     */
    private boolean inputEnded() {
        if (state != OPEN || inputDone) {
            return true;
        }
        inputDone = true;
        try {
            app.eofReceived();
        } catch (Exception e) {
            protocolFailed("eofReceived", e);
            return false;
        }
        if (state == OPEN) {
            beginShutdown();
        }
        return true; // the shutdown closes the raw transport once close_notify is out
    }

    private void lost(Throwable cause) {
        // The peer had finished and we were answering: an error writing our close_notify (it
        // may have closed without waiting for it) loses nothing, so it is a clean close.
        boolean answering = state == SHUTTING_DOWN && (closeNotifyReceived || peerEof);
        state = CLOSED;
        cancelTimer();
        Throwable reason = failure != null ? failure : answering ? null : cause;
        if (handshake != null && !handshake.isDone()) {
            handshake.fail(reason != null ? reason
                    : new SSLHandshakeException("the connection to " + peer() + " closed during the TLS handshake"));
        }
        if (pendingFlushWaiters != null) {
            for (Future<Void> w : pendingFlushWaiters) {
                w.fail(reason != null ? reason : new ClosedChannelException());
            }
            pendingFlushWaiters = null;
        }
        pending = null;
        inbound = null;
        if (appKnows) {
            appKnows = false;
            try {
                app.connectionLost(reason);
            } catch (Exception e) {
                NetSupport.report(loop, "Exception in protocol.connectionLost() of " + this, e);
            }
        }
    }

    // ------------------------------------------------------------------ ending

    /** OPEN → SHUTTING_DOWN: send what is pending and close_notify; wait for the peer's, bounded. */
    private void beginShutdown() {
        state = SHUTTING_DOWN;
        cancelTimer();
        timer = loop.callLater(config.shutdownTimeout(), this::shutdownTimedOut);
        raw.resumeReading(); // the peer's close_notify must be read even if the application had paused
        drive();
    }

    /** Closes the raw transport once close_notify is out and the peer's has come (or its EOF). */
    private void maybeCloseRaw() {
        if (state == SHUTTING_DOWN && !rawCloseRequested && engine.isOutboundDone()
                && (closeNotifyReceived || peerEof)) {
            rawCloseRequested = true;
            raw.close(); // flushes close_notify first; the shutdown timer still bounds that
        }
    }

    private void handshakeTimedOut() {
        timer = null;
        if (state == HANDSHAKING) {
            fail(new SocketTimeoutException("the TLS handshake with " + peer() + " did not finish within "
                    + config.handshakeTimeout().toMillis() + " ms: aborting the connection"), false);
        }
    }

    private void shutdownTimedOut() {
        timer = null;
        if (state != SHUTTING_DOWN) {
            return;
        }
        log.debug("{}: no close_notify from the peer within {} ms; aborting", this, config.shutdownTimeout().toMillis());
        if (raw.writeBufferSize() > 0 && failure == null) {
            failure = new SocketTimeoutException("the TLS shutdown with " + peer() + " timed out after "
                    + config.shutdownTimeout().toMillis() + " ms with " + raw.writeBufferSize() + " bytes unsent");
        }
        state = CLOSED;
        raw.abort();
    }

    /**
     * Ends the connection with {@code error}: sends the engine's alert if it has one
     * ({@code alert}), fails the handshake if it was under way, reports it, closes the socket.
     */
    private void fail(Throwable error, boolean alert) {
        if (state == CLOSED) {
            return;
        }
        boolean handshaking = state == HANDSHAKING;
        Throwable clear = error instanceof SSLException e ? explain(e, handshaking) : error;
        failure = clear;
        state = CLOSED;
        cancelTimer();
        if (alert && engine != null) {
            sendAlert();
        }
        if (handshake != null && !handshake.isDone()) {
            handshake.fail(clear);
        }
        if (!(error instanceof SSLHandshakeException && peerEof) && (!handshaking || config.isServer())) {
            // A client's handshake failure goes to whoever awaits the connection; everything else
            // would otherwise be silent. One line: these are the peer's doing, not ours.
            NetSupport.LOOP.warn(TlsTransport.class, clear.getMessage(), null);
            log.debug("{}: the failure in full", this, clear);
        }
        if (raw.writeBufferSize() > 0) {
            raw.abort(); // a peer that does not read gets no more of our time
        } else {
            raw.close();
        }
    }

    /** The engine has an alert to send after a failure (or close_notify): send it, once, quietly. */
    private void sendAlert() {
        ByteBuffer out = Scratch.take(true, engine.getSession().getPacketBufferSize());
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                engine.wrap(EMPTY, out);
            }
            out.flip();
            if (out.hasRemaining()) {
                raw.write(out);
            }
        } catch (SSLException | RuntimeException e) {
            log.debug("{}: no alert sent", this, e);
        } finally {
            out.clear();
            Scratch.give(true, out);
        }
    }

    /** A message that names the peer and says why, in words: the JDK's own are often not. */
    private SSLException explain(SSLException e, boolean handshaking) {
        String reason = e.getMessage();
        if ("Unexpected exception".equals(reason) && e.getCause() != null && e.getCause().getMessage() != null) {
            // The JDK's record layer wraps what decryption threw in these two words
            // (SSLEngineInputRecord.decodeInputRecord); the cause says what happened, e.g. on
            // JDK 25 "Unexpected plaintext alert received: Level: fatal; Alert: unknown_ca" from
            // an OpenSSL client that refused our certificate.
            reason = e.getCause().getMessage();
        }
        if (reason != null && reason.startsWith("Insufficient buffer remaining for AEAD cipher fragment (2)")) {
            // JDK 17's words for a two-byte record where an encrypted one was due: an alert sent in
            // the clear, as OpenSSL (curl, s_client) does when it refuses our certificate.
            reason = "the peer sent an unencrypted alert, most likely refusing our certificate (" + reason + ")";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                reason = "its certificate has expired (" + t.getMessage() + ")";
                break;
            }
            if (t instanceof CertificateNotYetValidException) {
                reason = "its certificate is not valid yet (" + t.getMessage() + ")";
                break;
            }
            if (t instanceof CertPathBuilderException) {
                reason = "its certificate is not trusted: no chain to a trusted root (self-signed, or an unknown CA)";
                break;
            }
            if (t instanceof CertPathValidatorException v && v.getReason() != null) {
                reason = "its certificate chain was refused: " + v.getMessage();
                break;
            }
            String m = t.getMessage();
            if (m != null && (m.startsWith("No name matching") || m.startsWith("No subject alternative"))) {
                reason = "its certificate is not valid for " + serverName + " (" + m + ")";
                break;
            }
        }
        String what = (handshaking ? "the TLS handshake with " : "the TLS connection with ") + peer() + " failed: " + reason;
        SSLException clear = handshaking ? new SSLHandshakeException(what) : new SSLException(what);
        clear.initCause(e);
        return clear;
    }

    /** The peer as a user would name it: the host connected to, or the client's address. */
    private String peer() {
        SocketAddress remote = raw == null ? null : raw.remoteAddress();
        InetSocketAddress a = remote instanceof InetSocketAddress i ? i : null;
        if (serverName != null) {
            return serverName + (a != null ? ":" + a.getPort() : "");
        }
        if (remote instanceof UnixDomainSocketAddress u) {
            return "the peer on " + (raw.localAddress() instanceof UnixDomainSocketAddress l
                    && !l.getPath().toString().isEmpty() ? l.getPath() : u.getPath());
        }
        return a == null ? "the peer" : a.getHostString() + ":" + a.getPort();
    }

    private void protocolFailed(String method, Exception e) {
        NetSupport.report(loop, "Fatal error: protocol." + method + "() call failed on " + this, e);
        failure = e;
        state = CLOSED;
        cancelTimer();
        raw.abort();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    // ------------------------------------------------------------------ Transport, as the application sees it

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
        if (!acceptsWrites() || !data.hasRemaining()) {
            return;
        }
        int position = data.position();
        try {
            if (pending == null && state == OPEN && !tasksRunning
                    && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                try {
                    wrap(data);
                } catch (SSLException e) {
                    fail(e, true);
                    return;
                }
            }
            if (data.hasRemaining() && state != CLOSED) {
                if (pending == null) {
                    pending = new ArrayDeque<>(2);
                }
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                pending.addLast(copy);
                pendingBytes += copy.remaining();
                if (state == OPEN) {
                    drive(); // the engine may be able to take it now (after a post-handshake message)
                }
            }
        } finally {
            data.position(position);
        }
        updateAppWriting();
    }

    /** As SocketTransport: throw after a local close, drop after the peer or an error closed. */
    private boolean acceptsWrites() {
        if (closedLocally) {
            throw new IllegalStateException("write() after close(), abort() or writeEof() on " + this,
                    new ClosedChannelException());
        }
        if (state == OPEN || state == HANDSHAKING) {
            return true;
        }
        if (++droppedWrites == DROPPED_WRITES_WARNING) {
            NetSupport.LOOP.warn(TlsTransport.class, this + ": writes after the connection was lost are being dropped", null);
        }
        return false;
    }

    /**
     * Refused: a TLS connection has no half-close here, as in asyncio (whose SSL transport's
     * {@code can_write_eof()} is false). TLS 1.2 closes both directions together, and a TLS 1.3
     * peer that gets close_notify usually answers with its own and closes. Use {@link #close()}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("a TLS connection cannot write EOF and keep reading; close() it: " + this);
    }

    /** False: see {@link #writeEof()}. */
    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void close() {
        NetSupport.checkThread(loop, "Transport.close");
        if (state == OPEN) {
            closedLocally = true;
            beginShutdown();
        } else if (state == HANDSHAKING) {
            abort();
        } else {
            closedLocally = true;
        }
    }

    @Override
    public void abort() {
        NetSupport.checkThread(loop, "Transport.abort");
        closedLocally = true;
        if (state != CLOSED) {
            state = CLOSED;
            cancelTimer();
        }
        if (raw != null) {
            raw.abort();
        }
    }

    @Override
    public boolean isClosing() {
        return state != OPEN;
    }

    @Override
    public void pauseReading() {
        NetSupport.checkThread(loop, "Transport.pauseReading");
        if (!appReadingPaused && (state == OPEN || state == HANDSHAKING)) {
            appReadingPaused = true;
            if (state == OPEN) {
                raw.pauseReading();
            }
        }
    }

    @Override
    public void resumeReading() {
        NetSupport.checkThread(loop, "Transport.resumeReading");
        if (appReadingPaused && (state == OPEN || state == HANDSHAKING)) {
            appReadingPaused = false;
            raw.resumeReading();
            drive(); // what arrived while paused
            if (inbound != null && !inbound.hasRemaining()) {
                inbound = null;
            }
        }
    }

    @Override
    public boolean isReading() {
        return state == OPEN && !appReadingPaused && !peerEof && !engine.isInboundDone();
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        NetSupport.checkThread(loop, "Transport.setWriteBufferLimits");
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need high >= low >= 0, got high=" + high + ", low=" + low);
        }
        highWater = high;
        lowWater = low;
        raw.setWriteBufferLimits(high, low);
        updateAppWriting();
    }

    /** Pauses the application while the raw transport is paused or pending plaintext passes the mark. */
    private void updateAppWriting() {
        if (!appKnows || state != OPEN) {
            return;
        }
        if (!appWritingPaused && (rawWritingPaused || pendingBytes > highWater)) {
            appWritingPaused = true;
            try {
                app.pauseWriting();
            } catch (Exception e) {
                protocolFailed("pauseWriting", e);
            }
        } else if (appWritingPaused && !rawWritingPaused && pendingBytes <= lowWater) {
            appWritingPaused = false;
            try {
                app.resumeWriting();
            } catch (Exception e) {
                protocolFailed("resumeWriting", e);
            }
        }
    }

    @Override
    public int writeBufferHighWaterMark() {
        return highWater;
    }

    @Override
    public int writeBufferLowWaterMark() {
        return lowWater;
    }

    /** Plaintext not yet wrapped plus ciphertext the socket has not taken. */
    @Override
    public long writeBufferSize() {
        return pendingBytes + (raw == null ? 0 : raw.writeBufferSize());
    }

    @Override
    public Future<Void> flushed() {
        NetSupport.checkThread(loop, "Transport.flushed");
        if (pending == null) {
            return raw.flushed();
        }
        if (pendingFlushWaiters == null) {
            pendingFlushWaiters = new ArrayList<>(1);
        }
        Future<Void> f = loop.createFuture();
        pendingFlushWaiters.add(f);
        return f;
    }

    @Override
    public SocketAddress localAddress() {
        return raw.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return raw.remoteAddress();
    }

    @Override
    public <T> Transport setOption(SocketOption<T> option, T value) throws IOException {
        raw.setOption(option, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return raw.getOption(option);
    }

    @Override
    public Protocol protocol() {
        return app;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        NetSupport.checkThread(loop, "Transport.setProtocol");
        app = protocol;
    }

    @Override
    public SSLSession sslSession() {
        return state == HANDSHAKING || engine == null ? null : engine.getSession();
    }

    @Override
    public String applicationProtocol() {
        if (state == HANDSHAKING || engine == null) {
            return null;
        }
        String p = engine.getApplicationProtocol();
        return p == null || p.isEmpty() ? null : p;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case HANDSHAKING -> "handshaking";
            case OPEN -> "open";
            case SHUTTING_DOWN -> "shutting down";
            default -> "closed";
        };
        String version = engine == null || state == HANDSHAKING ? "" : engine.getSession().getProtocol() + ", ";
        return "TlsTransport[" + version + s + ", " + raw + "]";
    }

    // ------------------------------------------------------------------ scratch buffers

    /**
     * One wrap and one unwrap buffer per loop thread, lent out for the length of a call: a
     * connection keeps none between calls. A call that nests inside another (a write from
     * inside dataReceived) finds the slot empty and allocates its own.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> SLOTS = ThreadLocal.withInitial(Scratch::new);
        private ByteBuffer out;
        private ByteBuffer in;

        static ByteBuffer take(boolean wrap, int size) {
            Scratch s = SLOTS.get();
            ByteBuffer b = wrap ? s.out : s.in;
            if (b == null || b.capacity() < size) {
                return ByteBuffer.allocate(size);
            }
            if (wrap) {
                s.out = null;
            } else {
                s.in = null;
            }
            b.clear();
            return b;
        }

        static void give(boolean wrap, ByteBuffer b) {
            Scratch s = SLOTS.get();
            if (wrap) {
                s.out = b;
            } else {
                s.in = b;
            }
        }
    }
}
