package io.eventloop.bench.http;

import io.eventloop.EventLoop;
import io.eventloop.bench.ServerTls;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An HTTP/1.1 hello-world server on this library's transports and protocols, plain or over TLS:
 * the server of the HTTPS part of {@code benchmarks/run-tls.sh}. It stands in for the
 * {@code http-server} example, which cannot take a {@code TlsConfig} (its {@code HttpServer}
 * makes its server with the plain {@code Net.createServer}); this one is
 * {@code Net.createServer(loop, Connection::new, host, port, TlsConfig.server(cert, key))}.
 *
 * <p>It answers {@code GET /} with the bytes of the example and of {@link NettyHttpServer} (status
 * line, {@code Content-Type}, {@code Content-Length}, {@code Date}, body {@code Hello, World!});
 * anything else gets an empty 404. Its parsing is the part a hello world cannot skip, done as
 * the example and Netty's codec do it: the request line into method, target and version
 * strings, every header field into a name and a value string, keep-alive from the version and
 * {@code Connection} (HTTP/1.1 unless {@code close}; HTTP/1.0 only with {@code keep-alive}, then
 * echoed), a {@code Content-Length} body skipped, pipelined requests answered in order with the
 * responses of one read in one write. Less than the example: no router, no limits but the size
 * of a request head (8 KiB, else 431 and close), no timers, no chunked request bodies (501 and
 * close). docs/benchmarks.md ("TLS") gives its plain-HTTP rate beside the example's.
 *
 * <p>Usage: {@code EventloopHelloServer [port] [--tls CERT.pem KEY.pem]} (port 0, the default: a
 * free port); prints {@code listening on 127.0.0.1:PORT} when ready and serves until killed.
 */
public final class EventloopHelloServer {
    private static final int MAX_HEAD = 8 * 1024;
    private static final byte[] OK_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 13\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND_HEAD = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOO_LARGE = ("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_IMPLEMENTED = ("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    /** IMF-fixdate (RFC 9110 §5.6.7), as the example server writes its {@code Date} field. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The {@code Date} line and the second it was formatted for; loop thread only. */
    private static long dateSecond = -1;
    private static byte[] dateLine;
    /** The responses of one read, written together; loop thread only (the transport copies what it keeps). */
    private static final ByteBuffer OUT = ByteBuffer.allocate(64 * 1024);

    private EventloopHelloServer() {
    }

    /** One per connection. */
    static final class Connection implements Protocol {
        private Transport transport;
        /** The start of a request head that a read cut off, or null. */
        private ByteBuffer partial;
        /** Body bytes of the last request still to skip. */
        private long skip;
        private boolean closing;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (closing) {
                data.position(data.limit());
                return;
            }
            ByteBuffer in = data;
            if (partial != null) {
                if (partial.remaining() < data.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(partial.position() + data.remaining());
                    partial.flip();
                    bigger.put(partial);
                    partial = bigger;
                }
                partial.put(data).flip();
                in = partial;
            }
            OUT.clear();
            while (!closing && in.hasRemaining()) {
                if (skip > 0) {
                    int n = (int) Math.min(skip, in.remaining());
                    in.position(in.position() + n);
                    skip -= n;
                    continue;
                }
                int end = headEnd(in);
                if (end < 0) {
                    break;
                }
                request(in, end);
                in.position(end);
            }
            OUT.flip();
            if (OUT.hasRemaining()) {
                transport.write(OUT);
            }
            if (closing) {
                partial = null;
                transport.close();
                return;
            }
            keep(in);
        }

        /** Keeps what is left of {@code in} (the start of the next head) for the next read. */
        private void keep(ByteBuffer in) {
            if (!in.hasRemaining()) {
                partial = null;
                return;
            }
            if (in.remaining() > MAX_HEAD) {
                OUT.clear();
                OUT.put(TOO_LARGE).flip();
                transport.write(OUT);
                closing = true;
                partial = null;
                transport.close();
                return;
            }
            if (in != partial) {
                partial = ByteBuffer.allocate(Math.max(1024, in.remaining() * 2));
                partial.put(in);
            } else {
                partial.compact();
            }
        }

        /** Parses the head in {@code in} from its position to {@code end} and writes the response to OUT. */
        private void request(ByteBuffer in, int end) {
            int lineEnd = lineEnd(in, in.position(), end);
            String line = ascii(in, in.position(), lineEnd);
            int sp1 = line.indexOf(' ');
            int sp2 = line.lastIndexOf(' ');
            if (sp1 <= 0 || sp2 <= sp1) {
                bad(BAD_REQUEST);
                return;
            }
            String method = line.substring(0, sp1);
            String target = line.substring(sp1 + 1, sp2);
            String version = line.substring(sp2 + 1);
            boolean http10 = version.equals("HTTP/1.0");
            if (!http10 && !version.equals("HTTP/1.1")) {
                bad(BAD_REQUEST);
                return;
            }
            String connection = null;
            long length = 0;
            for (int p = lineEnd + 2; p < end - 2; ) {
                int e = lineEnd(in, p, end);
                int colon = indexOf(in, (byte) ':', p, e);
                if (colon <= p) {
                    bad(BAD_REQUEST);
                    return;
                }
                String name = ascii(in, p, colon);
                String value = ascii(in, colon + 1, e).trim();
                if (name.equalsIgnoreCase("Connection")) {
                    connection = value;
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException notANumber) {
                        length = -1;
                    }
                    if (length < 0) {
                        bad(BAD_REQUEST);
                        return;
                    }
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    bad(NOT_IMPLEMENTED);
                    return;
                }
                p = e + 2;
            }
            boolean keepAlive = http10 ? "keep-alive".equalsIgnoreCase(connection) : !"close".equalsIgnoreCase(connection);
            skip = length;
            boolean hello = method.equals("GET") && target.equals("/");
            put(hello ? OK_HEAD : NOT_FOUND_HEAD);
            put(date());
            if (keepAlive && http10) {
                put(KEEP_ALIVE);
            }
            put(CRLF);
            if (hello) {
                put(HELLO);
            }
            if (!keepAlive) {
                closing = true;
            }
        }

        private void bad(byte[] response) {
            put(response);
            closing = true;
        }

        private static void put(byte[] bytes) {
            if (OUT.remaining() < bytes.length) {
                throw new IllegalStateException("more than 64 KiB of responses to one read");
            }
            OUT.put(bytes);
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading(); // a client that does not read its answers gets no more of them
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    /** The position just after the first {@code \r\n\r\n} from {@code in}'s position, or -1. */
    static int headEnd(ByteBuffer in, int from) {
        for (int i = from, last = in.limit() - 3; i < last; i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static int headEnd(ByteBuffer in) {
        return headEnd(in, in.position());
    }

    /** The index of the {@code \r} that ends the line starting at {@code from} (the head ends with one). */
    private static int lineEnd(ByteBuffer in, int from, int end) {
        for (int i = from; i < end - 1; i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                return i;
            }
        }
        return end - 2;
    }

    private static int indexOf(ByteBuffer in, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(ByteBuffer in, int from, int to) {
        byte[] bytes = new byte[to - from];
        in.get(from, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** The {@code Date} line, formatted at most once per second (as the example and Netty's server do). */
    private static byte[] date() {
        long second = System.currentTimeMillis() / 1000;
        if (second != dateSecond) {
            dateLine = ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            dateSecond = second;
        }
        return dateLine;
    }

    /** Starts the server on 127.0.0.1 and the port in {@code args[0]} (default 0), then serves until killed. */
    public static void main(String[] args) throws IOException {
        int port = ServerTls.port(args);
        TlsConfig tls = ServerTls.eventloop(args);
        EventLoop.run(() -> Net.createServer(EventLoop.current(), Connection::new, "127.0.0.1", port, tls).then(server -> {
            System.out.println("listening on 127.0.0.1:" + server.port());
            System.out.flush();
            return server.serveForever();
        }));
    }
}
