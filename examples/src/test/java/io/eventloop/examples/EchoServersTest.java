package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventloop.ErrorContext;
import io.eventloop.net.Server;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
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
