package io.eventloop.postgres;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The side connection that carries a CancelRequest: the message, then nothing, until the server
 * closes the connection, which it does once it has signalled the backend. When the connection it
 * cancels for runs over TLS, the request does too (SSLRequest, the handshake, then the message,
 * as libpq 17 does), so the key that can stop the backend's queries never crosses the network in
 * the clear where the queries themselves did not.
 *
 * <pre>
 *   (tls)  SSLRequest ─'S'─&gt; handshake ─┐
 *   (plain) ────────────────────────────┴─&gt; CancelRequest ─(server closes)─&gt; settled
 * </pre>
 */
final class CancelRequest implements Protocol {
    private static final int SSL_REQUEST = 80_877_103;
    private static final int CANCEL_REQUEST = 80_877_102;

    private final byte[] request;
    private final TlsConfig tls;
    private final Runnable delivered;
    private final Consumer<Throwable> notSent;
    /** Completes once the side connection is gone: closed, lost, or never made. */
    private final Future<Void> closed;
    private Future<Transport> dial;
    private Transport transport;
    private boolean awaitingSslAnswer;
    private boolean sent;
    private boolean settled;

    private CancelRequest(EventLoop loop, byte[] request, TlsConfig tls, Runnable delivered, Consumer<Throwable> notSent) {
        this.request = request;
        this.tls = tls;
        this.delivered = delivered;
        this.notSent = notSent;
        this.closed = loop.createFuture();
    }

    /**
     * Dials {@code uri} and sends the CancelRequest for backend {@code pid} with its key.
     *
     * @param tls the TLS settings of the cancelled connection, or null when it is plain
     * @param delivered run when the server has closed the side connection (the request delivered)
     * @param notSent run instead when the side connection or its TLS could not be made
     */
    static CancelRequest send(EventLoop loop, PgUri uri, Duration connectTimeout, int pid, int secret, TlsConfig tls,
            Runnable delivered, Consumer<Throwable> notSent) {
        MessageWriter message = new MessageWriter();
        message.beginUntyped();
        message.int32(CANCEL_REQUEST);
        message.int32(pid);
        message.int32(secret);
        message.end();
        CancelRequest cancel = new CancelRequest(loop, Arrays.copyOf(message.array(), message.size()), tls, delivered, notSent);
        cancel.dial = uri.dial(loop, () -> cancel, connectTimeout);
        cancel.dial.onDone(c -> {
            if (c.isCancelled() || c.exception() != null) {
                cancel.fail(c.isCancelled() ? new PgConnectionException("cancelled") : c.exception());
                cancel.closed.complete(null);
            }
        });
        return cancel;
    }

    /** Completes once the side connection is gone. */
    Future<Void> closed() {
        return closed;
    }

    /** {@link #closed()}, the side connection aborted (or its dial cancelled) if the server has not closed it within {@code bound}. */
    Future<Void> closedWithin(Duration bound) {
        if (!closed.isDone()) {
            var timer = dial.loop().callLater(bound, () -> {
                if (dial.isDone() && dial.exception() == null && !dial.isCancelled()) {
                    dial.result().abort();
                } else {
                    dial.cancel();
                }
            });
            closed.onDone(x -> timer.cancel());
        }
        return closed;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        if (tls == null) {
            send(t);
            return;
        }
        MessageWriter ssl = new MessageWriter();
        ssl.beginUntyped();
        ssl.int32(SSL_REQUEST);
        ssl.end();
        awaitingSslAnswer = true;
        t.write(Arrays.copyOf(ssl.array(), ssl.size()));
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (!awaitingSslAnswer || !data.hasRemaining()) {
            return; // the server sends nothing in answer to a CancelRequest
        }
        awaitingSslAnswer = false;
        byte answer = data.get();
        Transport plain = transport;
        if (answer != 'S') {
            fail(new PgConnectionException("the server refused TLS for the CancelRequest (answer '" + (char) answer + "')"));
            plain.abort();
            return;
        }
        Net.startTls(plain, tls).onDone(h -> {
            if (h.isCancelled() || h.exception() != null) {
                fail(new PgConnectionException("TLS handshake for the CancelRequest failed: "
                        + (h.isCancelled() ? "cancelled" : h.exception()), h.exception()));
                plain.abort();
            } else {
                send(h.result());
            }
        });
    }

    private void send(Transport t) {
        t.write(request);
        sent = true;
    }

    private void fail(Throwable e) {
        if (!settled) {
            settled = true;
            notSent.accept(e);
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (!sent) {
            fail(new PgConnectionException("the side connection for the CancelRequest closed before the request was sent"
                    + (cause != null ? ": " + cause : ""), cause));
        } else if (!settled) {
            settled = true;
            delivered.run();
        }
        closed.complete(null);
    }
}
