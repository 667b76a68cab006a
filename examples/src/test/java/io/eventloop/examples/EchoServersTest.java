package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventloop.ErrorContext;
import io.eventloop.net.SelfSignedCertificate;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class EchoServersTest {
    /** Sends 4 MiB in random chunks from one thread while this one reads the echo back. */
    private static void echoes(int port) throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(42).nextBytes(data);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    Random r = new Random(7);
                    for (int off = 0; off < data.length; ) {
                        int n = Math.min(1 + r.nextInt(100_000), data.length - off);
                        out.write(data, off, n);
                        off += n;
                    }
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            byte[] back = new byte[data.length];
            InputStream in = s.getInputStream();
            new DataInputStream(in).readFully(back);
            assertEquals(-1, in.read(), "the server closes after the client's EOF");
            writer.join();
            assertArrayEquals(data, back);
        }
    }

    @Test
    void theStreamEchoServerEchoesEverything() throws Exception {
        try (LoopThread t = new LoopThread("echo-loop")) {
            Server server = t.call(() -> EchoServer.start(t.loop, "127.0.0.1", 0));
            echoes(server.port());
            echoes(server.port());
            t.call(() -> {
                server.close();
                return server.waitClosed();
            });
        }
    }

    @Test
    void theProtocolEchoServerEchoesEverything() throws Exception {
        try (LoopThread t = new LoopThread("echo-protocol-loop")) {
            Server server = t.call(() -> EchoProtocolServer.start(t.loop, "127.0.0.1", 0));
            echoes(server.port());
            t.call(() -> {
                server.close();
                return server.waitClosed();
            });
        }
    }

    /**
     * {@link #echoes} over TLS: the JDK's client trusting only {@code cert} and checking that it
     * is for 127.0.0.1. No half-close (TLS has none): the client reads the whole echo, then closes.
     */
    private static void echoesOverTls(int port, SelfSignedCertificate cert) throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(42).nextBytes(data);
        try (SSLSocket s = (SSLSocket) cert.trustingContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(60_000);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    Random r = new Random(7);
                    for (int off = 0; off < data.length; ) {
                        int n = Math.min(1 + r.nextInt(100_000), data.length - off);
                        out.write(data, off, n);
                        off += n;
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            byte[] back = new byte[data.length];
            new DataInputStream(s.getInputStream()).readFully(back);
            writer.join();
            assertArrayEquals(data, back);
        }
    }

    @Test
    void bothEchoServersEchoEverythingOverTls() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate();
        TlsConfig tls = TlsConfig.server(cert.serverContext());
        List<ErrorContext> reports = new CopyOnWriteArrayList<>();
        try (LoopThread t = new LoopThread("echo-tls-loop")) {
            Server streams = t.call(() -> {
                t.loop.setExceptionHandler((loop, context) -> reports.add(context));
                return EchoServer.start(t.loop, "127.0.0.1", 0, Server.DEFAULT_BACKLOG, tls);
            });
            Server protocols = t.call(() -> EchoProtocolServer.start(t.loop, "127.0.0.1", 0, Server.DEFAULT_BACKLOG, tls));
            echoesOverTls(streams.port(), cert);
            echoesOverTls(protocols.port(), cert);
            for (Server server : List.of(streams, protocols)) {
                t.call(() -> {
                    server.close();
                    return server.waitClosed();
                });
            }
        }
        assertEquals(List.of(), reports);
    }

    @Test
    void peerResetsAreNotReportedAsErrors() throws Exception {
        List<ErrorContext> reports = new CopyOnWriteArrayList<>();
        try (LoopThread t = new LoopThread("echo-loop")) {
            Server server = t.call(() -> {
                t.loop.setExceptionHandler((loop, context) -> reports.add(context));
                return EchoServer.start(t.loop, "127.0.0.1", 0);
            });
            for (int i = 0; i < 50; i++) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.getOutputStream().write('x');
                    assertEquals('x', s.getInputStream().read()); // the handler is waiting in a read
                    s.setSoLinger(true, 0); // close() sends RST
                }
            }
            t.call(() -> {
                server.close();
                return server.waitClosed();
            });
        } // closing the loop reports any failed future nobody retrieved
        assertEquals(List.of(), reports);
    }

    @Test
    void anIpv6HostIsShownInBrackets() {
        assertEquals("[::1]:8888", Args.hostPort("::1", 8888));
        assertEquals("127.0.0.1:0", Args.hostPort("127.0.0.1", 0));
    }
}
