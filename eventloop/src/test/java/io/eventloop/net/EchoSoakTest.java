package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1 MiB echoed over each of hundreds of concurrent connections, written and read in random chunk
 * sizes, every byte checked: a protocol echo server on one loop thread, stream clients on another.
 */
@ExtendWith(NoLeaks.class)
class EchoSoakTest {
    private static final int CONNECTIONS = 200;
    private static final int SIZE = 1 << 20;

    /** The echo protocol with flow control: stop reading while the peer does not keep up. */
    static final class FlowControlledEcho implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    /** The byte at {@code position} of connection {@code id}'s stream. */
    private static byte expected(int id, int position) {
        return (byte) (position * 31 + id * 7 + (position >>> 11));
    }

    @Test
    void aMebibyteEchoedInRandomChunksOverHundredsOfConnectionsArrivesIntact() throws Exception {
        List<ErrorContext> serverErrors = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<EventLoop> started = new CompletableFuture<>();
        Thread serverThread = new Thread(() -> {
            EventLoop l = new EventLoop(); // made here: this thread is its loop thread from the start
            l.setExceptionHandler((x, c) -> serverErrors.add(c));
            started.complete(l);
            try {
                l.runForever();
            } finally {
                l.close();
            }
        }, "echo-server-loop");
        serverThread.start();
        EventLoop serverLoop = started.get(30, TimeUnit.SECONDS);
        EventLoop loop = new EventLoop();
        List<ErrorContext> errors = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> errors.add(c));
        try {
            Server server = serverLoop.submit(() -> serverLoop.createServer(FlowControlledEcho::new, "127.0.0.1", 0))
                    .get(30, TimeUnit.SECONDS);
            List<Future<Integer>> clients = new ArrayList<>();
            for (int id = 0; id < CONNECTIONS; id++) {
                clients.add(client(loop, server.port(), id));
            }
            List<Integer> received = await(loop, Async.gather(clients));
            for (int id = 0; id < CONNECTIONS; id++) {
                assertEquals(SIZE, received.get(id), "connection " + id);
            }
            serverLoop.submit(() -> {
                server.close();
                return server.waitClosed();
            }).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), errors);
            assertEquals(List.of(), serverErrors);
        } finally {
            serverLoop.callSoonThreadsafe(serverLoop::stop);
            serverThread.join(TimeUnit.SECONDS.toMillis(30));
            NetTesting.finish(loop);
        }
    }

    /** Writes SIZE bytes in random chunks (draining), half-closes, reads the echo to EOF checking each byte. */
    private static Future<Integer> client(EventLoop loop, int port, int id) {
        Random random = new Random(id);
        return loop.openConnection("127.0.0.1", port).then(c -> {
            int[] written = {0};
            int[] read = {0};
            Future<Void> writing = Async.repeat(() -> {
                if (written[0] == SIZE) {
                    c.writer().writeEof();
                    return Async.completed(false);
                }
                int n = Math.min(1 + random.nextInt(32 * 1024), SIZE - written[0]);
                byte[] chunk = new byte[n];
                for (int i = 0; i < n; i++) {
                    chunk[i] = expected(id, written[0] + i);
                }
                written[0] += n;
                c.writer().write(chunk);
                return c.writer().drain().map(v -> true);
            });
            Future<Void> reading = Async.repeat(() -> c.reader().read(1 + random.nextInt(64 * 1024)).map(chunk -> {
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] != expected(id, read[0] + i)) {
                        throw new AssertionError("connection " + id + ": byte " + (read[0] + i) + " differs");
                    }
                }
                read[0] += chunk.length;
                assertTrue(read[0] <= SIZE, "more bytes than were sent");
                return chunk.length > 0;
            }));
            return Async.gather(writing, reading).then(v -> {
                c.writer().close();
                return c.writer().waitClosed();
            }).map(v -> read[0]);
        });
    }
}
