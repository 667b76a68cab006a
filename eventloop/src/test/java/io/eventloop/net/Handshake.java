package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS handshake over loopback between the JDK's own client and server sockets, which tells
 * whether the JDK accepts a certificate, key and trust setting. Every step has a timeout, and all
 * sockets and the server thread are gone when {@link #between} returns or throws.
 */
final class Handshake {
    private static final int TIMEOUT_MILLIS = 10_000;

    private Handshake() {}

    /**
     * Connects a client of {@code client} to a server of {@code server} on 127.0.0.1 as if to
     * {@code host}, with HTTPS host name checking on, and has one byte cross after the handshake.
     *
     * @throws IOException what the client's handshake threw (an {@code SSLHandshakeException} when
     *     it rejects the server's certificate)
     */
    static void between(SSLContext server, SSLContext client, String host) throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        AtomicReference<IOException> serverFailure = new AtomicReference<>();
        SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback);
        Thread serverThread = new Thread(() -> serve(listener, serverFailure), "handshake-server");
        try {
            listener.setSoTimeout(TIMEOUT_MILLIS);
            serverThread.start();
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(loopback, listener.getLocalPort()), TIMEOUT_MILLIS);
                plain.setSoTimeout(TIMEOUT_MILLIS);
                try (SSLSocket tls = (SSLSocket) client.getSocketFactory()
                        .createSocket(plain, host, listener.getLocalPort(), true)) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(parameters);
                    tls.startHandshake();
                    assertEquals(42, tls.getInputStream().read(), "the byte the server sent after its handshake");
                }
            }
        } finally {
            listener.close();
            serverThread.join(TIMEOUT_MILLIS);
            assertFalse(serverThread.isAlive(), "the server thread is still running");
        }
        if (serverFailure.get() != null) {
            throw new AssertionError("the client's handshake succeeded and the server's failed", serverFailure.get());
        }
    }

    private static void serve(SSLServerSocket listener, AtomicReference<IOException> failure) {
        SSLSocket accepted = null;
        try {
            accepted = (SSLSocket) listener.accept();
            accepted.setSoTimeout(TIMEOUT_MILLIS);
            accepted.startHandshake();
            accepted.getOutputStream().write(42);
            accepted.getOutputStream().flush();
            awaitClose(accepted);
        } catch (IOException e) {
            failure.set(e);
        } finally {
            if (accepted != null) {
                try {
                    accepted.close();
                } catch (IOException e) {
                    // the client has gone by now; a failed close_notify says nothing about the handshake
                }
            }
        }
    }

    /** Waits for the client to close first, so that neither side's close races the other's read. */
    private static void awaitClose(SSLSocket accepted) {
        try {
            accepted.getInputStream().read();
        } catch (IOException e) {
            // teardown only: the handshake and the byte have gone through
        }
    }
}
