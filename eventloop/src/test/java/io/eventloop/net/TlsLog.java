package io.eventloop.net;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The warnings {@code TlsTransport} logs while a test runs, read off {@code System.err}, where
 * slf4j-simple (the tests' logger) prints them: it looks {@code System.err} up for every line, so
 * replacing it for the length of a test sees them. Everything is still passed on to the real
 * {@code System.err}. Only WARN lines are kept: DEBUG is below the tests' log level, and
 * slf4j-simple fixes a logger's level when the logger is made, so a test cannot turn it on for
 * itself.
 */
final class TlsLog implements AutoCloseable {
    private static final String PREFIX = " WARN " + TlsTransport.class.getName() + " - ";

    private final PrintStream original;
    private final List<String> warnings = new ArrayList<>(); // guarded by itself

    private TlsLog() {
        original = System.err;
        System.setErr(new PrintStream(new Lines(), true, StandardCharsets.UTF_8));
    }

    /** Starts keeping warnings; {@link #close()} puts {@code System.err} back. */
    static TlsLog capture() {
        return new TlsLog();
    }

    /** The message of every WARN line of {@code TlsTransport} so far, in order. */
    List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /** The warnings that name {@code 127.0.0.1:port}: those about one peer. */
    List<String> warningsAbout(int port) {
        Pattern peer = Pattern.compile("127\\.0\\.0\\.1:" + port + "(?!\\d)");
        List<String> about = new ArrayList<>();
        for (String w : warnings()) {
            if (peer.matcher(w).find()) {
                about.add(w);
            }
        }
        return about;
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }

    /** Passes bytes on to the real stream and keeps the WARN lines of TlsTransport. */
    private final class Lines extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            original.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                int at = text.indexOf(PREFIX);
                if (at >= 0) {
                    synchronized (warnings) {
                        warnings.add(text.substring(at + PREFIX.length()).strip());
                    }
                }
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
