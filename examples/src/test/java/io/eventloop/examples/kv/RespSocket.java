package io.eventloop.examples.kv;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking RESP client on a plain socket, for tests that need the exact bytes: it sends what it
 * is given (commands encoded as multibulk, or raw bytes) and reads one reply at a time as
 * {@code +text} / {@code -text} strings, {@code Long}, {@code String} (bulk, null for nil),
 * {@code List}. RESP3 maps come back as flat lists.
 */
final class RespSocket implements AutoCloseable {
    final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    static byte[] encode(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    RespSocket send(String... args) throws IOException {
        return raw(encode(args));
    }

    RespSocket raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    RespSocket raw(String text) throws IOException {
        return raw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the command and reads its reply. */
    Object call(String... args) throws IOException {
        send(args);
        return read();
    }

    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("the server closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return "+" + line;
            case '-':
                return "-" + line;
            case ':':
                return Long.parseLong(line);
            case '_':
                return null;
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                if (b.length < n + 2) {
                    throw new IOException("the server closed the connection mid-reply");
                }
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*':
            case '>':
            case '%': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                if (type == '%') {
                    n *= 2;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: " + (char) type + line);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\r'; ) {
            if (c < 0) {
                throw new IOException("the server closed the connection mid-reply");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (reads until EOF; -1 at once if nothing else was sent). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
