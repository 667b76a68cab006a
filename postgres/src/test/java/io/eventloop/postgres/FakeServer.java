package io.eventloop.postgres;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A scripted PostgreSQL server on a loopback port, for servers that misbehave: each chunk the
 * client sends is handed to {@link #script} with the server's side of the connection, which
 * answers with whatever bytes the test wants, well-formed or not. {@link #message} builds a
 * backend message; {@link #READY} is AuthenticationOk, BackendKeyData and ReadyForQuery.
 */
final class FakeServer implements AutoCloseable {
    /** AuthenticationOk, BackendKeyData (pid 1, key 2), ReadyForQuery (idle). */
    static final byte[] READY = concat(message('R', int32(0)), message('K', int32(1), int32(2)),
            message('Z', new byte[] {'I'}));

    /** What the server does with a chunk from the client; the first is the startup message. */
    interface Script {
        void received(Side side, byte[] chunk);
    }

    /** One client connection, seen from the server. */
    static final class Side {
        final List<byte[]> chunks = new ArrayList<>();
        Transport transport;

        void send(byte[]... parts) {
            transport.write(concat(parts));
        }

        void close() {
            transport.close();
        }
    }

    final List<Side> sides = new ArrayList<>();
    private final Server server;

    private FakeServer(Server server) {
        this.server = server;
    }

    static Future<FakeServer> start(EventLoop loop, Script script) {
        List<Side> sides = new ArrayList<>();
        BiConsumer<Side, byte[]> onChunk = script::received;
        return Net.createServer(loop, () -> new Protocol() {
            private final Side side = new Side();

            @Override
            public void connectionMade(Transport t) {
                side.transport = t;
                sides.add(side);
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                side.chunks.add(chunk);
                onChunk.accept(side, chunk);
            }
        }, "127.0.0.1", 0).map(s -> {
            FakeServer f = new FakeServer(s);
            f.sides.addAll(sides);
            return f;
        });
    }

    String uri() {
        return "postgresql://u:p@127.0.0.1:" + server.port() + "/db";
    }

    @Override
    public void close() {
        server.close();
    }

    static byte[] message(char type, byte[]... parts) {
        byte[] body = concat(parts);
        ByteBuffer b = ByteBuffer.allocate(5 + body.length);
        b.put((byte) type).putInt(4 + body.length).put(body);
        return b.array();
    }

    static byte[] int32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] int16(int v) {
        return ByteBuffer.allocate(2).putShort((short) v).array();
    }

    static byte[] cstring(String s) {
        return concat(s.getBytes(StandardCharsets.UTF_8), new byte[1]);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** ParseComplete, a ParameterDescription of no parameters, a RowDescription of one int4 column, ReadyForQuery. */
    static byte[] preparedOneInt4() {
        return concat(message('1'), message('t', int16(0)),
                message('T', int16(1), cstring("x"), int32(0), int16(0), int32(23), int16(4), int32(-1), int16(0)),
                message('Z', new byte[] {'I'}));
    }
}
