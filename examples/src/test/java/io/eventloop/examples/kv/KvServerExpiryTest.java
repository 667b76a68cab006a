package io.eventloop.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.MemoryConnection;
import io.eventloop.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Expiry on fake time, over an in-memory connection: lazy (a key past its deadline is gone when
 * touched) and active (the timer's sampling cycle removes keys nobody touches), each alone.
 */
@EventLoopTest(autoAdvance = false)
class KvServerExpiryTest {
    /** The client's end: what it received, as text. */
    private static final class Client implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            received.writeBytes(b);
        }
    }

    private KvServer kv;
    private Client client;
    private TestClock clock;

    private void connect(EventLoop loop, TestClock testClock, int hz) {
        clock = testClock;
        kv = new KvServer(loop, KvServer.Limits.defaults().withHz(hz));
        client = new Client();
        MemoryConnection.pair(loop, client, kv.newConnection());
    }

    /** Sends the command, lets the loop run, returns the raw reply. */
    private String call(String... args) {
        client.transport.write(RespSocket.encode(args));
        clock.runUntilIdle();
        String text = client.received.toString(StandardCharsets.UTF_8);
        client.received.reset();
        return text;
    }

    @Test
    void aKeyPastItsDeadlineIsGoneWhenTouchedWithoutTheCycle(EventLoop loop, TestClock testClock) {
        connect(loop, testClock, 0);
        assertEquals("+OK\r\n", call("SET", "k", "v", "PX", "100"));
        assertEquals(":100\r\n", call("PTTL", "k"));
        clock.advance(Duration.ofMillis(99));
        assertEquals("$1\r\nv\r\n", call("GET", "k"));
        assertEquals(":1\r\n", call("PTTL", "k"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(":1\r\n", call("DBSIZE"), "no cycle ran: the stale key is still counted, as in Redis");
        assertEquals("$-1\r\n", call("GET", "k"));
        assertEquals(":0\r\n", call("DBSIZE"), "the lookup removed it");
        assertEquals(":-2\r\n", call("TTL", "k"));
    }

    @Test
    void everyCommandSeesAnExpiredKeyAsAbsent(EventLoop loop, TestClock testClock) {
        connect(loop, testClock, 0);
        call("SET", "a", "1", "EX", "1");
        call("SET", "b", "2", "EX", "1");
        call("SET", "n", "5", "EX", "1");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(":0\r\n", call("EXISTS", "a"));
        assertEquals("*0\r\n", call("KEYS", "*"));
        assertEquals(":1\r\n", call("INCR", "n"), "INCR starts from zero again");
        assertEquals("+OK\r\n", call("SET", "b", "3", "NX"));
        assertEquals(":-1\r\n", call("TTL", "b"));
    }

    @Test
    void theActiveCycleRemovesStaleKeysNobodyTouches(EventLoop loop, TestClock testClock) {
        connect(loop, testClock, 10);
        for (int i = 0; i < 500; i++) {
            call("SET", "temp:" + i, "v", "PX", "50");
        }
        for (int i = 0; i < 10; i++) {
            call("SET", "kept:" + i, "v");
        }
        assertEquals(":510\r\n", call("DBSIZE"));
        clock.advance(Duration.ofMillis(100)); // one cycle: every sample is stale, so it goes on until none are left
        assertEquals(":10\r\n", call("DBSIZE"));
        assertEquals(500, kv.expiry().expired);
        assertEquals(1, kv.expiry().cycles);
    }

    @Test
    void theCycleStopsWhenAQuarterOrFewerOfASampleAreStale(EventLoop loop, TestClock testClock) {
        connect(loop, testClock, 10);
        for (int i = 0; i < 1000; i++) {
            call("SET", "long:" + i, "v", "EX", "3600");
        }
        for (int i = 0; i < 10; i++) {
            call("SET", "short:" + i, "v", "PX", "50");
        }
        clock.advance(Duration.ofMillis(100));
        long expired = kv.expiry().expired;
        assertTrue(expired < 10, "1% stale: one sample of 20 finds at most a few, and the cycle ends; expired " + expired);
        assertEquals(1, kv.expiry().cycles);
        for (int i = 0; i < 600; i++) {
            clock.advance(Duration.ofMillis(100)); // more cycles sample the stale keys away
        }
        assertEquals(":1000\r\n", call("DBSIZE"));
    }

    @Test
    void theCycleRunsHzTimesASecond(EventLoop loop, TestClock testClock) {
        connect(loop, testClock, 10);
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(100));
        }
        assertEquals(20, kv.expiry().cycles);
        kv.close();
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(100));
        }
        assertEquals(20, kv.expiry().cycles, "closing stops the timer");
    }
}
