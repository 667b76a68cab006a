package io.eventloop.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import io.eventloop.testing.MemoryConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A scripted Redis server for {@link MemoryConnection}: it parses the client's commands with the
 * client's own parser, records them, and answers GET, SET, PING, HELLO, AUTH, SELECT and CLIENT
 * from a map, or per {@link #answer}. {@link #hold()} keeps the answers back until
 * {@link #release()}, which is how a test makes a reply late.
 */
final class FakeServer implements Protocol {
    final List<List<String>> received = new ArrayList<>();
    final Map<String, String> data = new HashMap<>();
    int chunks;
    Function<List<String>, String> answer = this::standard;
    private final List<String> held = new ArrayList<>();
    private boolean holding;
    private Transport transport;
    private final RespParser parser = new RespParser(Integer.MAX_VALUE, 8, Integer.MAX_VALUE, this::command);

    /** A dialer that connects each new connection to a new fake server, added to {@code servers}. */
    static RedisClient.Dialer dialer(EventLoop loop, List<FakeServer> servers) {
        return p -> {
            FakeServer s = new FakeServer();
            servers.add(s);
            MemoryConnection c = MemoryConnection.pair(loop, p, s,
                    MemoryConnection.Options.defaults().addresses(
                            new java.net.InetSocketAddress("127.0.0.1", 50000),
                            new java.net.InetSocketAddress("127.0.0.1", 6379)));
            return Async.completed(c.client());
        };
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        chunks++;
        try {
            parser.feed(data);
        } catch (RedisProtocolException e) {
            throw new AssertionError("the client sent something that is not RESP", e);
        }
    }

    private void command(Object raw) {
        List<String> cmd = new ArrayList<>();
        for (Object o : (List<?>) raw) {
            cmd.add(new String((byte[]) o, UTF_8));
        }
        received.add(cmd);
        String reply = answer.apply(cmd);
        if (reply == null) {
            return;
        }
        if (holding) {
            held.add(reply);
        } else {
            transport.write(reply.getBytes(UTF_8));
        }
    }

    private String standard(List<String> cmd) {
        switch (cmd.get(0).toUpperCase()) {
            case "GET":
                String v = data.get(cmd.get(1));
                return v == null ? "$-1\r\n" : bulk(v);
            case "SET":
                data.put(cmd.get(1), cmd.get(2));
                return "+OK\r\n";
            case "HELLO":
                return "%1\r\n+proto\r\n:3\r\n";
            case "PING":
                return "+PONG\r\n";
            default:
                return "+OK\r\n";
        }
    }

    static String bulk(String v) {
        return "$" + v.getBytes(UTF_8).length + "\r\n" + v + "\r\n";
    }

    /** Keeps every answer back from now on. */
    void hold() {
        holding = true;
    }

    /** Sends the answers kept back, in order, and answers at once from now on. */
    void release() {
        holding = false;
        for (String r : held) {
            transport.write(r.getBytes(UTF_8));
        }
        held.clear();
    }

    /** Writes {@code resp} as it is. */
    void send(String resp) {
        transport.write(resp.getBytes(UTF_8));
    }

    Transport transport() {
        return transport;
    }
}
