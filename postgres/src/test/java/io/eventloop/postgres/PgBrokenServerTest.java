package io.eventloop.postgres;

import static io.eventloop.postgres.FakeServer.READY;
import static io.eventloop.postgres.FakeServer.concat;
import static io.eventloop.postgres.FakeServer.cstring;
import static io.eventloop.postgres.FakeServer.int16;
import static io.eventloop.postgres.FakeServer.int32;
import static io.eventloop.postgres.FakeServer.message;
import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A server that breaks the protocol: a clear error naming the server and what it did, the
 * connection closed, every query failed, no hang, and no allocation the size of a length field.
 */
@EventLoopTest
class PgBrokenServerTest {
    private static FakeServer start(FakeServer.Script script) {
        return assertCompletes(FakeServer.start(EventLoop.current(), script));
    }

    /** The server answers the startup with READY, and each later chunk with {@code answer}. */
    private static FakeServer afterLogin(byte[]... answers) {
        int[] n = {0};
        return start((side, chunk) -> {
            if (n[0] == 0) {
                side.send(READY);
            } else if (n[0] <= answers.length) {
                side.send(answers[n[0] - 1]);
            }
            n[0]++;
        });
    }

    @Test
    void aHugeLengthFieldIsRefusedBeforeAnythingIsAllocated(EventLoop loop) {
        try (FakeServer fake = start((side, chunk) -> side.send(new byte[] {'R', 0x7F, (byte) 0xFF, (byte) 0xFF, 0x00}))) {
            long before = usedHeap();
            PgConnectionException e = assertFails(PgConnectionException.class, PgConnection.connect(fake.uri()));
            assertTrue(e.getMessage().contains("message 'R' of 2147483392 bytes, over the limit of 67108864"
                    + " (PgOptions.maxMessageSize)"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:"), e.getMessage());
            assertTrue(usedHeap() - before < 32 << 20, "nothing of that size was allocated");
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void aLengthBelowFourIsAProtocolError(EventLoop loop) {
        try (FakeServer fake = start((side, chunk) -> side.send(new byte[] {'Z', 0, 0, 0, 2}))) {
            PgConnectionException e = assertFails(PgConnectionException.class, PgConnection.connect(fake.uri()));
            assertTrue(e.getMessage().contains("message 'Z' with length 2"), e.getMessage());
        }
    }

    @Test
    void closingMidMessageFailsTheConnectNamingTheServer(EventLoop loop) {
        try (FakeServer fake = start((side, chunk) -> {
            side.send(new byte[] {'R', 0, 0, 0, 8, 0});
            side.close();
        })) {
            PgConnectionException e = assertFails(PgConnectionException.class, PgConnection.connect(fake.uri()));
            assertTrue(e.getMessage().contains("closed by the server"), e.getMessage());
        }
    }

    @Test
    void aServerThatNeverAnswersTimesTheConnectOut(EventLoop loop) {
        try (FakeServer fake = start((side, chunk) -> { })) {
            TimeoutException e = assertFails(TimeoutException.class, PgConnection.connect(fake.uri(),
                    PgOptions.defaults().connectTimeout(Duration.ofMillis(200))));
            assertTrue(e.getMessage().contains("the login did not finish"), e.getMessage());
        }
    }

    @Test
    void anAuthenticationMethodNotSpokenIsNamed(EventLoop loop) {
        try (FakeServer fake = start((side, chunk) -> side.send(message('R', int32(7))))) {
            PgConnectionException e = assertFails(PgConnectionException.class, PgConnection.connect(fake.uri()));
            assertTrue(e.getMessage().contains("authentication method 7 (GSSAPI)"), e.getMessage());
        }
    }

    @Test
    void aScramServerThatDoesNotKnowThePasswordIsRefused(EventLoop loop) {
        int[] step = {0};
        try (FakeServer fake = start((side, chunk) -> {
            if (step[0]++ == 0) {
                side.send(message('R', int32(10), cstring("SCRAM-SHA-256"), new byte[1]));
                return;
            }
            String text = new String(chunk, StandardCharsets.UTF_8);
            if (step[0] == 2) { // SASLInitialResponse: take the client's nonce
                String nonce = text.substring(text.indexOf("r=") + 2).trim();
                side.send(message('R', int32(11), ("r=" + nonce + "server,s=c2FsdA==,i=4096").getBytes(StandardCharsets.UTF_8)));
            } else {
                side.send(message('R', int32(12), "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".getBytes(StandardCharsets.UTF_8)));
            }
        })) {
            PgConnectionException e = assertFails(PgConnectionException.class, PgConnection.connect(fake.uri()));
            assertTrue(e.getMessage().contains("SCRAM signature is wrong"), e.getMessage());
        }
    }

    @Test
    void aMessageWithNoQueryWaitingClosesTheConnection(EventLoop loop) {
        try (FakeServer fake = start((side, chunk) -> side.send(READY, message('C', cstring("SELECT 1"))))) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
            assertTrue(e.getMessage().contains("protocol error from 127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().contains("message 'C' with no query waiting"), e.getMessage());
            assertTrue(conn.isClosed());
        }
    }

    @Test
    void aMalformedDataRowClosesTheConnectionAndFailsTheQuery(EventLoop loop) {
        byte[] rowOfTwoColumns = message('D', int16(2), int32(4), int32(1), int32(4), int32(2));
        try (FakeServer fake = afterLogin(FakeServer.preparedOneInt4(),
                concat(message('2'), rowOfTwoColumns, message('C', cstring("SELECT 1")), message('Z', new byte[] {'I'})))) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
            assertTrue(e.getMessage().contains("protocol error from 127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().contains("a DataRow of 2 columns for a description of 1"), e.getMessage());
            assertTrue(conn.isClosed());
        }
    }

    @Test
    void aValueLongerThanItsRowIsAProtocolError(EventLoop loop) {
        byte[] lying = message('D', int16(1), int32(1_000_000), int32(1));
        try (FakeServer fake = afterLogin(FakeServer.preparedOneInt4(), concat(message('2'), lying))) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
            assertTrue(e.getMessage().contains("a value of 1000000 bytes in a DataRow with 4 left"), e.getMessage());
        }
    }

    @Test
    void aTruncatedMessageBodyIsAProtocolError(EventLoop loop) {
        byte[] shortRow = message('D', int16(1), int32(4), int16(7)); // an int4 of 2 bytes
        try (FakeServer fake = afterLogin(FakeServer.preparedOneInt4(), concat(message('2'), shortRow))) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
            assertTrue(e.getMessage().contains("malformed message 'D'") || e.getMessage().contains("a value of 4 bytes"),
                    e.getMessage());
        }
    }

    @Test
    void aFixedSizeValueOfTheWrongLengthIsAProtocolErrorNotAMisreading(EventLoop loop) {
        // an int4 column whose value is 2 bytes, followed by bytes that a reader of 4 would take
        byte[] shortValue = message('D', int16(1), int32(2), int16(7), int16(0x7FFF));
        try (FakeServer fake = afterLogin(FakeServer.preparedOneInt4(), concat(message('2'), shortValue))) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
            assertTrue(e.getMessage().contains("a value of 2 bytes for type OID 23, which has 4"), e.getMessage());
            assertTrue(conn.isClosed());
        }
    }

    @Test
    void closingMidAnswerFailsEveryQueryWaiting(EventLoop loop) {
        int[] n = {0};
        try (FakeServer fake = start((side, chunk) -> {
            if (n[0]++ == 0) {
                side.send(READY);
            } else {
                side.send(FakeServer.preparedOneInt4());
                side.send(new byte[] {'2', 0, 0});
                side.close();
            }
        })) {
            PgConnection conn = assertCompletes(PgConnection.connect(fake.uri()));
            Future<Object> first = conn.fetchVal("SELECT 1");
            Future<Object> second = conn.fetchVal("SELECT 2");
            PgConnectionException e = assertFails(PgConnectionException.class, first);
            assertTrue(e.getMessage().contains("closed by the server"), e.getMessage());
            assertFails(PgConnectionException.class, second);
            assertEquals(true, conn.isClosed());
        }
    }
}
