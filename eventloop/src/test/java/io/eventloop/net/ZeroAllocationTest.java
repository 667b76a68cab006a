package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The protocol echo path allocates nothing per request in steady state: measured on the loop
 * thread with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}.
 */
@ExtendWith(NoLeaks.class)
class ZeroAllocationTest {
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;

    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    @Test
    void aRequestResponseExchangeAllocatesNothingOnTheLoopThread() throws Exception {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        CompletableFuture<EventLoop> started = new CompletableFuture<>();
        Thread loopThread = new Thread(() -> {
            EventLoop l = new EventLoop();
            started.complete(l);
            try {
                l.runForever();
            } finally {
                l.close();
            }
        }, "zero-alloc-loop");
        loopThread.start();
        EventLoop loop = started.get(30, TimeUnit.SECONDS);
        try {
            Server server = loop.submit(() -> loop.createServer(Echo::new, "127.0.0.1", 0)).get(30, TimeUnit.SECONDS);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] request = new byte[1024];
                byte[] response = new byte[1024];
                for (int i = 0; i < WARM_UP; i++) {
                    out.write(request);
                    in.readFully(response);
                }
                long before = threads.getThreadAllocatedBytes(loopThread.getId());
                for (int i = 0; i < MEASURED; i++) {
                    out.write(request);
                    in.readFully(response);
                }
                long perRequest = (threads.getThreadAllocatedBytes(loopThread.getId()) - before) / MEASURED;
                // one small object per request would be 16 bytes or more
                assertTrue(perRequest < 8, perRequest + " bytes allocated per request on the loop thread");
            }
            loop.submit(() -> {
                server.close();
                return server.waitClosed();
            }).get(30, TimeUnit.SECONDS);
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            loopThread.join(30_000);
        }
    }
}
