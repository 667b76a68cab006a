package io.eventloop.postgres;

import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
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

    private final byte[] request;
    private final TlsConfig tls;
    private final Runnable closed;
    private final Consumer<Exception> failed;
    private Transport transport;
    private boolean awaitingSslAnswer;
    private boolean sent;
    private boolean settled;

    /**
     * @param request the CancelRequest message, whole
     * @param tls the TLS settings of the cancelled connection, or null when it is plain
     * @param closed run when the server has closed the side connection (the request delivered)
     * @param failed run instead when TLS could not be set up: the request was not delivered
     */
    CancelRequest(byte[] request, TlsConfig tls, Runnable closed, Consumer<Exception> failed) {
        this.request = request;
        this.tls = tls;
        this.closed = closed;
        this.failed = failed;
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

    private void fail(Exception e) {
        if (!settled) {
            settled = true;
            failed.accept(e);
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (!sent) {
            fail(new PgConnectionException("the side connection for the CancelRequest closed before the request was sent"
                    + (cause != null ? ": " + cause : ""), cause));
        } else if (!settled) {
            settled = true;
            closed.run();
        }
    }
}
