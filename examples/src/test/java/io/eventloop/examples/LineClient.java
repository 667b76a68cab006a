package io.eventloop.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** A blocking line client; a 60 s read timeout is the hang guard. */
final class LineClient implements AutoCloseable {
    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    LineClient(int port) throws IOException {
        this(port, -1);
    }

    /** @param receiveBuffer SO_RCVBUF to ask for before connecting, or -1 */
    LineClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(60_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    void send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** The next line, or null at EOF. */
    String line() throws IOException {
        return in.readLine();
    }

    /** Reads lines until one matches; fails at EOF. */
    String expect(Predicate<String> wanted, String what) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new AssertionError("EOF while waiting for " + what);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    String expect(String prefix) throws IOException {
        return expect(l -> l.startsWith(prefix), "a line starting with '" + prefix + "'");
    }

    /** Connects, answers the nickname prompt and waits for the greeting. */
    static LineClient join(int port, String nick) throws IOException {
        LineClient c = new LineClient(port);
        c.expect("* welcome");
        c.send(nick);
        c.expect("* hello " + nick + "!");
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
