package io.eventloop.examples.http;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One server connection: the protocol callbacks, the queue of exchanges answered strictly in
 * request order, and the timers. Parsing is {@link RequestParser}'s, writing {@link ResponseWriter}'s.
 *
 * <pre>
 *   bytes ──&gt; RequestParser ──request──&gt; Exchange (handler running) ──&gt; queue ──in order──&gt; ResponseWriter ──&gt; transport
 *
 *   reading ──malformed, timeout, "Connection: close", EOF, finish()──&gt; done reading (close after the queue)
 * </pre>
 *
 * <p>Back-pressure both ways: reading pauses while {@code maxPipelined} exchanges wait in the
 * queue (a slow handler cannot make the server buffer an unbounded pipeline) and while the
 * transport's write buffer is above its high-water mark; while it is, no response is produced
 * either. Timers: the header section must arrive within {@code headerTimeout}; a body must make
 * progress every {@code bodyTimeout} and average {@code minBodyRate}; output must drain a little
 * every {@code writeTimeout}; an idle keep-alive connection closes after {@code idleTimeout}.
 * Everything here runs on the loop thread.
 */
final class ServerConnection implements Protocol {
    /** A request and, once its handler is done, its response. */
    private static final class Exchange {
        final boolean head;
        final boolean http10;
        boolean close;
        Future<HttpResponse> pending; // the handler's future while it runs
        HttpResponse response;

        Exchange(boolean head, boolean http10, boolean close) {
            this.head = head;
            this.http10 = http10;
            this.close = close;
        }
    }

    /**
     * How long a refused connection keeps reading (and dropping) what the client still sends
     * after the error response. Closing at once with unread bytes makes the kernel send a reset,
     * which can destroy the error response before the client reads it; nginx's
     * {@code lingering_close} exists for the same reason.
     */
    static final Duration LINGER = Duration.ofSeconds(2);

    private final HttpServer server;
    private final HttpServer.Limits limits;
    private final RequestParser parser;
    private Transport transport;
    private EventLoop loop;
    private ResponseWriter writer;

    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private boolean doneReading;    // no more requests are read: refused, "Connection: close", EOF or finish()
    private boolean closeWhenDone;  // the body in progress is the last thing sent
    private boolean writePaused;
    private boolean closeAfterFlush;
    private boolean pumping;
    private boolean closed;
    private boolean refused;        // a refusal is queued: close by lingering

    private TimerHandle headerTimer;
    private TimerHandle bodyTimer;
    private int bodyAtCheck;        // body bytes at the last check
    private long bodyRateSince;     // loop time the rate is measured from
    private int bodyRateBase;       // body bytes at that time
    private TimerHandle writeTimer;
    private long drainedAtCheck;
    private TimerHandle idleTimer;
    private long idleSince = -1;    // loop time the connection went idle; -1 while a request is in progress
    private TimerHandle lingerTimer;

    ServerConnection(HttpServer server, HttpServer.Limits limits) {
        this.server = server;
        this.limits = limits;
        this.parser = new RequestParser(limits);
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        loop = t.loop();
        writer = new ResponseWriter(t, this::bodyDone);
        server.opened(this);
        armIdleTimer();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (doneReading) {
            return; // answering an error or closing: what else the peer sends is ignored
        }
        markBusy();
        parser.feed(data);
        pump();
    }

    @Override
    public boolean eofReceived() {
        // The peer sent everything it will. Whatever complete requests are queued still get
        // their answers (the connection stays half-open until then); a partial request is dropped.
        // Over TLS the connection closes after this whatever it returns (no half-close there, as in
        // asyncio): answers not yet written are lost, which only a client that closes its side
        // while waiting for them (no browser, no curl) sees.
        stopReading();
        if (queue.isEmpty() && !writer.busy()) {
            return false;
        }
        closeLast();
        return true;
    }

    @Override
    public void connectionLost(Throwable cause) {
        closed = true;
        stopReading();
        server.closed(this);
        cancelTimers();
        for (Exchange x : queue) {
            if (x.pending != null) {
                x.pending.cancel(); // nobody will read the answer: stop the work (aiohttp cancels the handler too)
            }
        }
        queue.clear();
        writer.lost(cause);
    }

    @Override
    public void pauseWriting() {
        writePaused = true;
        writer.pause();
        transport.pauseReading();
        armWriteTimer(); // a streamed body fills the buffer outside pump(): the timer starts here too
    }

    @Override
    public void resumeWriting() {
        writePaused = false;
        writer.resume();
        pump();
    }

    /**
     * Finishes gracefully, for a server shutting down: reads no more requests, answers those
     * already read (the last with {@code Connection: close}), then closes. An idle connection
     * closes now.
     */
    void finish() {
        if (closed) {
            return;
        }
        stopReading();
        closeLast();
        pump();
    }

    /** Bytes waiting in the transport's write buffer. */
    long outputBuffered() {
        return transport.writeBufferSize();
    }

    // ------------------------------------------------------------------ the pump

    /**
     * Parses and dispatches what the buffer holds and writes the responses that are ready, until
     * neither makes progress; then flushes, and sets reading and the timers to match the new
     * state. Re-entry (a handler's future completing inside) is folded into the running pass.
     */
    private void pump() {
        if (pumping || closed) {
            return;
        }
        pumping = true;
        try {
            boolean progress = true;
            while (progress && !closed) {
                progress = readRequests();
                progress |= writeReady();
            }
            writer.flush();
            if (!closed) {
                settle();
            }
        } finally {
            pumping = false;
        }
    }

    /** After a pass: close if that is what is left, else set reading and the timers. */
    private void settle() {
        if (closeAfterFlush) {
            cancelTimers();
            armWriteTimer(); // a graceful close waits for the flush: but not for ever
            if (refused) {
                lingeringClose();
            } else {
                transport.close();
            }
            return;
        }
        boolean reading = !doneReading && !writePaused && queue.size() < limits.maxPipelined;
        if (reading) {
            transport.resumeReading();
        } else {
            transport.pauseReading();
        }
        armWriteTimer();
        // The request timers run only while the server reads: a client is not slow while we are.
        if (reading && parser.inHead()) {
            armHeaderTimer();
        } else {
            cancelHeaderTimer();
        }
        if (reading && parser.inBody()) {
            armBodyTimer();
        } else {
            cancelBodyTimer();
        }
        if (!doneReading && queue.isEmpty() && !writer.busy() && parser.isEmpty()) {
            armIdleTimer();
        }
    }

    /** Dispatches the requests the buffer holds while allowed; true if any was dispatched or refused. */
    private boolean readRequests() {
        boolean progress = false;
        while (!doneReading && queue.size() < limits.maxPipelined) {
            HttpRequest request;
            try {
                request = parser.next();
            } catch (BadMessageException e) {
                refuse(e.status(), e.getMessage());
                return true;
            }
            if (request == null) {
                if (parser.takeContinue() && queue.isEmpty() && !writer.busy()) {
                    writer.interimContinue();
                }
                return progress;
            }
            dispatch(request);
            progress = true;
        }
        return progress;
    }

    private void stopReading() {
        doneReading = true;
        parser.discard();
        cancelHeaderTimer();
        cancelBodyTimer();
    }

    /** The last response queued (or in progress) is the last one: it says so, and the connection closes after it. */
    private void closeLast() {
        if (!queue.isEmpty()) {
            queue.peekLast().close = true;
        } else if (writer.busy()) {
            closeWhenDone = true;
        } else {
            closeAfterFlush = true;
        }
    }

    // ------------------------------------------------------------------ handlers and responses

    private void dispatch(HttpRequest request) {
        boolean http10 = request.version().equals("HTTP/1.0");
        boolean close = http10 ? !request.headers().hasToken("Connection", "keep-alive")
                : request.headers().hasToken("Connection", "close");
        Exchange x = new Exchange(request.method().equals("HEAD"), http10, close);
        queue.add(x);
        if (close) {
            stopReading(); // nothing after a "Connection: close" request is read
        }
        Future<HttpResponse> f;
        try {
            f = server.dispatch(request, loop);
        } catch (Exception | LinkageError e) {
            x.response = internalError();
            return;
        }
        if (f == null) {
            x.response = internalError();
        } else if (f.isDone()) {
            x.response = outcome(f);
        } else {
            x.pending = f;
            f.onDone(done -> {
                x.pending = null;
                x.response = outcome(done);
                pump();
            });
        }
    }

    private static HttpResponse outcome(Future<HttpResponse> f) {
        if (f.isCancelled() || f.exception() != null || f.result() == null) {
            return internalError();
        }
        return f.result();
    }

    private static HttpResponse internalError() {
        return HttpResponse.text(500, "internal server error\n");
    }

    /** Queues a refusal: the response is sent after those before it, then the connection closes. */
    private void refuse(int status, String why) {
        stopReading();
        refused = true;
        Exchange x = new Exchange(false, false, true);
        x.response = HttpResponse.text(status, why + "\n");
        queue.add(x);
    }

    /**
     * Writes the responses at the head of the queue that are ready, while the transport keeps up;
     * true if any was written.
     */
    private boolean writeReady() {
        boolean progress = false;
        while (!writer.busy() && !writePaused && !closeAfterFlush && !queue.isEmpty()
                && queue.peekFirst().response != null) {
            Exchange x = queue.pollFirst();
            progress = true;
            x.close |= ResponseWriter.closeDelimited(x.response, x.http10);
            if (writer.send(x.response, x.head, x.http10, x.close)) {
                closeAfterFlush = x.close;
            } else {
                closeWhenDone = x.close;
            }
            if (writer.full()) {
                writer.flush(); // the transport says whether it keeps up before more is produced
            }
        }
        return progress;
    }

    /** A body that went on after its head is all out. */
    private void bodyDone() {
        if (closeWhenDone) {
            closeWhenDone = false;
            closeAfterFlush = true;
        }
        pump();
    }

    // ------------------------------------------------------------------ timers

    /**
     * Half-closes after the error response, drops what still comes, closes on EOF or after
     * {@link #LINGER}. Over TLS, which has no half-close ({@code canWriteEof()} is false), the
     * close itself lingers: it sends {@code close_notify} after the response and reads, dropping
     * them, the records still coming until the client's {@code close_notify}. A client that sends
     * none is aborted after the same {@link #LINGER} if the response is out by then; if not, the
     * write timeout watches the flush as for any response.
     */
    private void lingeringClose() {
        if (lingerTimer != null) {
            return;
        }
        if (!transport.canWriteEof()) {
            transport.close();
            lingerTimer = loop.callLater(LINGER, () -> {
                lingerTimer = null;
                if (transport.writeBufferSize() == 0) {
                    transport.abort();
                }
            });
            return;
        }
        transport.writeEof();
        transport.resumeReading();
        lingerTimer = loop.callLater(LINGER, () -> {
            lingerTimer = null;
            transport.close();
        });
    }

    /** Refuses with a 408 from a timer, unless the connection is gone or has stopped reading meanwhile. */
    private void timedOut(String why) {
        if (!closed && !doneReading) {
            refuse(408, why);
            pump();
        }
    }

    private void armHeaderTimer() {
        if (headerTimer == null) {
            headerTimer = loop.callLater(limits.headerTimeout, () -> {
                headerTimer = null;
                if (parser.inHead()) {
                    timedOut("request header not received in time");
                }
            });
        }
    }

    private void cancelHeaderTimer() {
        if (headerTimer != null) {
            headerTimer.cancel();
            headerTimer = null;
        }
    }

    /**
     * A body is being read: every {@code bodyTimeout} it must have made progress, and since it
     * began it must average {@code minBodyRate} bytes a second (after the first window). Time in
     * which the server itself does not read (a full pipeline, a client that does not read its
     * responses) does not count against the client.
     */
    private void armBodyTimer() {
        if (bodyTimer == null) {
            bodyRateSince = loop.time();
            bodyAtCheck = parser.bodyReceived();
            bodyRateBase = bodyAtCheck;
            bodyTimer = loop.callLater(limits.bodyTimeout, this::bodyTimerFired);
        }
    }

    private void bodyTimerFired() {
        bodyTimer = null;
        if (closed || !parser.inBody()) {
            return;
        }
        long now = loop.time();
        int received = parser.bodyReceived();
        if (!transport.isReading()) {
            bodyRateSince = now; // our pause, not the client's slowness
            bodyRateBase = received;
        } else if (received == bodyAtCheck) {
            timedOut("request body made no progress for " + seconds(limits.bodyTimeout));
            return;
        } else if ((received - bodyRateBase) * 1e9 < (double) limits.minBodyRate * (now - bodyRateSince)) {
            timedOut("request body slower than " + limits.minBodyRate + " bytes a second");
            return;
        }
        bodyAtCheck = received;
        bodyTimer = loop.callLater(limits.bodyTimeout, this::bodyTimerFired);
    }

    private void cancelBodyTimer() {
        if (bodyTimer != null) {
            bodyTimer.cancel();
            bodyTimer = null;
        }
    }

    /** Output is waiting in the transport: it must drain a little every {@code writeTimeout}. */
    private void armWriteTimer() {
        if (writeTimer == null && (transport.writeBufferSize() > 0 || writer.sendingFile())) {
            drainedAtCheck = writer.drained();
            writeTimer = loop.callLater(limits.writeTimeout, this::writeTimerFired);
        }
    }

    private void writeTimerFired() {
        writeTimer = null;
        if (closed || (transport.writeBufferSize() == 0 && !writer.sendingFile())) {
            return;
        }
        long drained = writer.drained();
        if (drained == drainedAtCheck) {
            transport.abort(); // a peer that does not read must not hold our memory for ever
            return;
        }
        drainedAtCheck = drained;
        writeTimer = loop.callLater(limits.writeTimeout, this::writeTimerFired);
    }

    /**
     * The connection went idle: the idle timeout starts now. One timer per connection, not one per
     * request: a request only clears {@link #idleSince} (a field write), and the timer, when it
     * fires, looks at how long the connection has really been idle and waits again if need be.
     * Cancelling and re-creating a timer per request made every keep-alive request allocate a timer
     * and left the heap full of cancelled ones (4% of the server's samples in the hello benchmark).
     * Buffers that grew for a large request or response are given back here.
     */
    private void armIdleTimer() {
        idleSince = loop.time();
        parser.trim();
        writer.trim();
        if (idleTimer == null) {
            idleTimer = loop.callLater(limits.idleTimeout, this::idleTimerFired);
        }
    }

    /** A request began: the connection is not idle (the timer stays, and checks when it fires). */
    private void markBusy() {
        idleSince = -1;
    }

    private void idleTimerFired() {
        idleTimer = null;
        if (closed || idleSince < 0) {
            return; // busy: the timer is set again when the connection next goes idle
        }
        long idleFor = loop.time() - idleSince;
        long timeout = limits.idleTimeout.toNanos();
        if (idleFor < timeout || transport.writeBufferSize() > 0) {
            // Output still draining is not idleness; the write timeout watches that it drains.
            long wait = idleFor < timeout ? timeout - idleFor : timeout;
            idleTimer = loop.callLater(Duration.ofNanos(wait), this::idleTimerFired);
        } else if (queue.isEmpty() && !writer.busy() && parser.isEmpty()) {
            stopReading();
            transport.close();
        }
    }

    private void cancelTimers() {
        cancelHeaderTimer();
        cancelBodyTimer();
        idleSince = -1;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        if (closed) {
            if (writeTimer != null) {
                writeTimer.cancel();
                writeTimer = null;
            }
            if (lingerTimer != null) {
                lingerTimer.cancel();
                lingerTimer = null;
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
