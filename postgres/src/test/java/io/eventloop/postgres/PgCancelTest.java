package io.eventloop.postgres;

import static io.eventloop.postgres.FakeServer.READY;
import static io.eventloop.postgres.FakeServer.concat;
import static io.eventloop.postgres.FakeServer.cstring;
import static io.eventloop.postgres.FakeServer.int32;
import static io.eventloop.postgres.FakeServer.message;
import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Cancellation, seen from a scripted server: the CancelRequest's bytes and connection, nothing
 * written until it is settled, a query queued behind others not cancelled on the server, and a
 * connection closed when no CancelRequest can be sent.
 */
@EventLoopTest
class PgCancelTest {
    private static final byte[] CANCELLED = concat(
            message('E', new byte[] {'S'}, cstring("ERROR"), new byte[] {'C'}, cstring("57014"),
                    new byte[] {'M'}, cstring("canceling statement due to user request"), new byte[1]),
            message('Z', new byte[] {'I'}));

    /** A server that logs in, prepares, and holds every Bind until told; cancel connections are recorded and closed. */
    private static final class Held {
        final List<byte[]> cancelRequests = new ArrayList<>();
        FakeServer.Side main;
        int binds;
        FakeServer fake;
    }

    private static Held start(EventLoop loop) {
        Held h = new Held();
        h.fake = assertCompletes(FakeServer.start(loop, (side, chunk) -> {
            if (chunk.length == 16 && chunk[3] == 16 && chunk[4] == 0x04 && chunk[5] == (byte) 0xD2) {
                h.cancelRequests.add(chunk);
                side.close();
            } else if (h.main == null) {
                h.main = side;
                side.send(READY);
            } else if (chunk[0] == 'P') {
                side.send(FakeServer.preparedOneInt4());
            } else {
                h.binds++; // held: answered by the test
            }
        }));
        return h;
    }

    private static byte[] oneRow(int value) {
        return concat(message('2'), message('D', FakeServer.int16(1), int32(4), int32(value)),
                message('C', cstring("SELECT 1")), message('Z', new byte[] {'I'}));
    }

    @Test
    void aRunningQueryIsCancelledWithTheKeyFromBackendKeyDataAndNothingIsWrittenUntilSettled(EventLoop loop) {
        Held h = start(loop);
        try (FakeServer fake = h.fake) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            Future<Object> running = conn.fetchVal("SELECT 1");
            while (h.binds == 0) {
                runIterations(loop, 1);
            }
            assertTrue(running.cancel());
            assertFails(CancellationException.class, running);
            Future<Object> next = conn.fetchVal("SELECT 1");
            while (h.cancelRequests.isEmpty()) {
                runIterations(loop, 1);
            }
            assertArrayEquals(concat(int32(16), int32(80_877_102), int32(1), int32(2)), h.cancelRequests.get(0),
                    "CancelRequest, pid 1, key 2");
            runIterations(loop, 5);
            assertEquals(1, h.binds, "the next query waits until the cancelled one is answered");
            h.main.send(CANCELLED);
            while (h.binds < 2) {
                runIterations(loop, 1);
            }
            h.main.send(oneRow(7));
            assertEquals(7, assertCompletes(next));
            assertCompletes(conn.closeAsync());
        }
    }

    @Test
    void aQueryQueuedBehindAnotherIsNotCancelledOnTheServerAndItsAnswerIsDropped(EventLoop loop) {
        Held h = start(loop);
        try (FakeServer fake = h.fake) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            Future<Object> first = conn.fetchVal("SELECT 1");
            while (h.binds == 0) {
                runIterations(loop, 1);
            }
            Future<Object> second = conn.fetchVal("SELECT 1");
            while (h.binds < 2) {
                runIterations(loop, 1);
            }
            assertTrue(second.cancel());
            runIterations(loop, 5);
            assertEquals(List.of(), h.cancelRequests, "no CancelRequest: it would hit the first query");
            h.main.send(oneRow(1), oneRow(2));
            assertEquals(1, assertCompletes(first));
            assertTrue(second.isCancelled());
            Future<Object> third = conn.fetchVal("SELECT 1");
            while (h.binds < 3) {
                runIterations(loop, 1);
            }
            h.main.send(oneRow(3));
            assertEquals(3, assertCompletes(third), "the dropped answer did not shift the next one");
            assertCompletes(conn.closeAsync());
        }
    }

    @Test
    void whenNoCancelRequestCanBeSentTheConnectionIsClosed(EventLoop loop) {
        Held h = start(loop);
        try (FakeServer fake = h.fake) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            Future<Object> running = conn.fetchVal("SELECT 1");
            while (h.binds == 0) {
                runIterations(loop, 1);
            }
            fake.close(); // no more connections: the CancelRequest cannot be sent
            running.cancel();
            PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
            assertTrue(e.getMessage().contains("cannot send a CancelRequest to 127.0.0.1:"), e.getMessage());
            assertTrue(conn.isClosed());
        }
    }

    @Test
    void aConnectionClosedWhileItsCancelRequestIsOutCountsAsClosedOnceTheSideConnectionIsClosedToo(EventLoop loop) {
        List<FakeServer.Side> cancelSides = new ArrayList<>();
        FakeServer.Side[] main = {null};
        int[] binds = {0};
        try (FakeServer fake = assertCompletes(FakeServer.start(loop, (side, chunk) -> {
            if (chunk.length == 16 && chunk[3] == 16 && chunk[4] == 0x04 && chunk[5] == (byte) 0xD2) {
                cancelSides.add(side); // held open: the server has not got round to it yet
            } else if (main[0] == null) {
                main[0] = side;
                side.send(READY);
            } else if (chunk[0] == 'P') {
                side.send(FakeServer.preparedOneInt4());
            } else {
                binds[0]++;
            }
        }))) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            Future<Object> running = conn.fetchVal("SELECT 1");
            while (binds[0] == 0) {
                runIterations(loop, 1);
            }
            running.cancel();
            while (cancelSides.isEmpty()) {
                runIterations(loop, 1);
            }
            conn.terminate();
            Future<Void> closed = conn.protocol().closed();
            runIterations(loop, 5);
            assertTrue(!closed.isDone(), "the CancelRequest's connection is still open");
            cancelSides.get(0).close();
            assertCompletes(closed);
        }
    }
}
