package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection handler that fails with its connection's own loss (a peer reset, an abort) is not
 * reported; any other failure is, once. Every test closes the loop before looking at the reports,
 * so that a failed future nobody retrieved would be among them.
 */
@ExtendWith(NoLeaks.class)
class HandlerFailureTest {
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    /** Each connection's handler future and writer, in accept order. */
    private final List<Future<?>> handlers = new ArrayList<>();
    private final List<StreamWriter> writers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    @AfterEach
    void tearDown() {
        if (!loop.isClosed()) {
            loop.close();
        }
    }

    private Server server(BiFunction<StreamReader, StreamWriter, Future<?>> handler) {
        return await(loop, Net.startServer(loop, (r, w) -> {
            Future<?> f = handler.apply(r, w);
            handlers.add(f);
            writers.add(w);
            return f;
        }, "127.0.0.1", 0));
    }

    /** Reads until EOF, writing nothing. */
    private static Future<Void> readToEof(StreamReader r) {
        return Async.repeat(() -> r.read(65536).map(data -> data.length > 0));
    }

    /** Connects a plain socket, waits for its handler to start, then resets the connection. */
    private void connectAndReset(Server server) throws IOException {
        int before = handlers.size();
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            while (handlers.size() == before) {
                await(loop, Async.yieldNow());
            }
            raw.setSoLinger(true, 0); // close() sends RST
        }
    }

    /** Waits for the last handler to end and returns its failure. */
    private Throwable lastHandlerFailure() {
        return NetTesting.failure(loop, handlers.get(handlers.size() - 1));
    }

    private void closeEverything(Server server) {
        server.close();
        await(loop, server.waitClosed());
        NetTesting.finish(loop);
    }

    @Test
    void aHandlerWhoseReadFailsBecauseThePeerResetIsNotReported() throws Exception {
        Server server = server((r, w) -> readToEof(r));
        connectAndReset(server);
        assertInstanceOf(IOException.class, lastHandlerFailure());
        closeEverything(server);
        assertEquals(List.of(), errors);
    }

    @Test
    void aHandlerThatWrapsTheResetIsNotReported() throws Exception {
        Server server = server((r, w) -> readToEof(r).recover(IOException.class, e -> {
            throw new UncheckedIOException("while reading", e);
        }));
        connectAndReset(server);
        assertInstanceOf(UncheckedIOException.class, lastHandlerFailure());
        closeEverything(server);
        assertEquals(List.of(), errors);
    }

    @Test
    void aHandlerWhoseDrainFailsBecauseTheServerAbortedIsNotReported() throws Exception {
        Server server = server((r, w) -> Async.repeat(() -> {
            w.write(new byte[64 * 1024]);
            return w.drain().map(v -> true);
        }));
        try (Socket raw = new Socket("127.0.0.1", server.port())) { // never reads
            while (writers.isEmpty() || writers.get(0).transport().writeBufferSize()
                    <= writers.get(0).transport().writeBufferHighWaterMark()) {
                await(loop, Async.yieldNow());
            }
            server.abortClients();
            assertInstanceOf(ClosedChannelException.class, lastHandlerFailure());
        }
        closeEverything(server);
        assertEquals(List.of(), errors);
    }

    @Test
    void aHandlerBugAfterTheResetIsStillReported() throws Exception {
        NullPointerException bug = new NullPointerException("handler bug");
        Server server = server((r, w) -> readToEof(r).recover(IOException.class, e -> {
            throw bug;
        }));
        connectAndReset(server);
        lastHandlerFailure();
        closeEverything(server);
        assertEquals(1, errors.size(), errors::toString);
        assertSame(bug, errors.get(0).exception());
    }

    @Test
    void anIOExceptionUnrelatedToTheLossIsStillReported() throws Exception {
        IOException unrelated = new IOException("disk full");
        Server server = server((r, w) -> readToEof(r).recover(IOException.class, e -> Async.failed(unrelated)));
        connectAndReset(server);
        lastHandlerFailure();
        closeEverything(server);
        assertEquals(1, errors.size(), errors::toString);
        assertSame(unrelated, errors.get(0).exception());
    }
}
