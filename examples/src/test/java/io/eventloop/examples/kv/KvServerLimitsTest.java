package io.eventloop.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Each limit of {@link KvServer.Limits}: what a client past it gets, and that the others go on. */
class KvServerLimitsTest {
    private static final KvServer.Limits DEFAULTS = KvServer.Limits.defaults();

    @Test
    void aClientPastMaxClientsIsToldSoAndClosed() throws Exception {
        try (KvFixture kv = new KvFixture(DEFAULTS.withMaxClients(2));
                RespSocket a = new RespSocket(kv.port()); RespSocket b = new RespSocket(kv.port())) {
            assertEquals("+PONG", a.call("PING"));
            assertEquals("+PONG", b.call("PING"));
            try (RespSocket c = new RespSocket(kv.port())) {
                assertEquals("-ERR max number of clients reached", c.read());
                assertTrue(c.closedByServer());
            }
            assertEquals(2, kv.clients());
            a.close();
            waitFor(() -> kv.clients() == 1);
            try (RespSocket d = new RespSocket(kv.port())) {
                assertEquals("+PONG", d.call("PING"), "a place freed up");
            }
        }
    }

    @Test
    void aBulkLongerThanProtoMaxBulkLenIsAProtocolError() throws Exception {
        try (KvFixture kv = new KvFixture(DEFAULTS.withMaxBulkLength(1000));
                RespSocket c = new RespSocket(kv.port()); RespSocket other = new RespSocket(kv.port())) {
            assertEquals("+OK", c.call("SET", "k", "x".repeat(1000)));
            c.raw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1001\r\n");
            assertEquals("-ERR Protocol error: invalid bulk length", c.read());
            assertTrue(c.closedByServer());
            assertEquals(1000, ((String) other.call("GET", "k")).length());
        }
    }

    @Test
    void aClientWhoseUnfinishedCommandPassesTheQueryBufferLimitIsClosed() throws Exception {
        try (KvFixture kv = new KvFixture(DEFAULTS.withQueryBufferLimit(10_000));
                RespSocket c = new RespSocket(kv.port()); RespSocket other = new RespSocket(kv.port())) {
            assertEquals("+OK", c.call("SET", "k", "x".repeat(9_000)), "under the limit");
            c.raw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n" + "y".repeat(12_000)); // held, unfinished
            assertTrue(c.closedByServer());
            assertEquals("+PONG", other.call("PING"));
        }
    }

    @Test
    void aBigArgumentBeingReadCountsAgainstTheQueryBufferLimit() throws Exception {
        try (KvFixture kv = new KvFixture(DEFAULTS.withQueryBufferLimit(40_000))) {
            try (RespSocket c = new RespSocket(kv.port())) {
                c.raw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$50000\r\n" + "y".repeat(100));
                assertTrue(c.closedByServer());
            }
            try (RespSocket c = new RespSocket(kv.port())) {
                assertEquals("+OK", c.call("SET", "k", "y".repeat(39_000)));
            }
        }
    }

    @Test
    void aSubscriberThatNeverReadsIsDisconnectedAndThePublisherGoesOn() throws Exception {
        try (KvFixture kv = new KvFixture(DEFAULTS.withOutputBufferLimits(0, 256 * 1024));
                RespSocket sub = new RespSocket(kv.port()); RespSocket pub = new RespSocket(kv.port())) {
            assertEquals("subscribe", ((java.util.List<?>) sub.call("SUBSCRIBE", "feed")).get(0));
            String message = "m".repeat(64 * 1024);
            long delivered = 1;
            for (int i = 0; i < 2000 && delivered == 1; i++) {
                delivered = (Long) pub.call("PUBLISH", "feed", message);
            }
            assertEquals(0L, delivered, "the subscriber was dropped once it held too much unread");
            waitFor(() -> kv.clients() == 1);
            assertEquals("+PONG", pub.call("PING"));
        }
    }

    @Test
    void aNormalClientPastItsOutputLimitIsDisconnected() throws Exception {
        try (KvFixture kv = new KvFixture(DEFAULTS.withOutputBufferLimits(1 << 20, 0));
                RespSocket c = new RespSocket(kv.port()); RespSocket other = new RespSocket(kv.port())) {
            assertEquals("+OK", other.call("SET", "big", "b".repeat(16 << 20)));
            c.send("GET", "big"); // and never read: 16 MiB of reply against a 1 MiB bound
            waitFor(() -> kv.clients() == 1);
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    c.read();
                }
            });
            assertEquals("+PONG", other.call("PING"));
        }
    }

    @Test
    void aClientThatPipelinesWithoutReadingIsPausedNotGrown() throws Exception {
        try (KvFixture kv = new KvFixture(); RespSocket c = new RespSocket(kv.port());
                RespSocket other = new RespSocket(kv.port())) {
            assertEquals("+OK", other.call("SET", "v", "x".repeat(100_000)));
            byte[] get = RespSocket.encode("GET", "v");
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        c.raw(get);
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            Thread.sleep(200); // not a timing assertion: gives the server time to be stuck behind the writer
            assertEquals("+PONG", other.call("PING"), "another client is served meanwhile");
            for (int i = 0; i < 500; i++) {
                assertEquals(100_000, ((String) c.read()).length());
            }
            writer.join();
        }
    }

    /** Polls {@code condition} (a hang guard of 30 s, not a timing assertion). */
    private static void waitFor(Check condition) throws Exception {
        for (int i = 0; i < 3000 && !condition.ok(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.ok());
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }
}
