package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.examples.http.HttpBinServer;
import io.eventloop.net.Server;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that runs out of descriptors keeps serving once they come back. Each example server
 * runs cold (it has served nothing) in a child JVM limited to 256 descriptors; this JVM holds 400
 * connections to it, so the child's {@code accept()} fails with "Too many open files", then
 * closes them all and checks that a fresh client is served and the child is still alive.
 *
 * <p>What this caught: the JDK initialises some NIO classes on the first write or close of a
 * socket, and {@code sun.nio.ch.FileDispatcherImpl}'s initialiser opens a descriptor
 * ({@code socketpair}); the first close at the limit failed it, every later close threw
 * {@code NoClassDefFoundError}, and the loop died.
 */
@EnabledOnOs(OS.LINUX) // bash's ulimit, and the JDK classes named above
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a safety net only; a run takes a few seconds
class DescriptorLimitTest {
    private static final int DESCRIPTOR_LIMIT = 256;
    private static final int HELD_CONNECTIONS = 400;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** What the child prints once the loop has reported an accept failure. */
    private static final String ACCEPT_FAILED = "accept failed";

    /** The child: serves the example server named by {@code args[0]} until it is killed. */
    static final class Child {
        public static void main(String[] args) throws IOException {
            loadClassesOfDirectories();
            EventLoop.run(() -> {
                EventLoop loop = EventLoop.current();
                Logger log = LoggerFactory.getLogger(Child.class);
                boolean[] told = {false};
                loop.setExceptionHandler((l, context) -> {
                    if (!told[0] && context.message().startsWith("accept() failed")) {
                        told[0] = true;
                        System.out.println(ACCEPT_FAILED);
                    }
                    log.error("{}", context, context.exception()); // as the default handler does
                });
                return start(args[0], loop).then(server -> {
                    System.out.println("port " + server.port());
                    return server.serveForever();
                });
            });
        }

        /**
         * Loads every class found in a directory of the class path, as a deployment in jars has
         * them at hand: a class file in a directory takes a descriptor to read, so at the limit it
         * cannot load, and the JVM then fails every later use from the class that referred to it
         * (JVMS 5.4.3), whereas a jar is already open. Loading does not initialise, so the JDK
         * classes the loop must warm up itself stay cold.
         */
        private static void loadClassesOfDirectories() throws IOException {
            ClassLoader loader = Child.class.getClassLoader();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path dir = Path.of(entry);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                        String name = dir.relativize(file).toString().replace(File.separatorChar, '.');
                        load(loader, name.substring(0, name.length() - ".class".length()));
                    }
                }
            }
        }

        private static void load(ClassLoader loader, String name) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // module-info, or a class whose dependencies are not on this class path: not needed here
            }
        }

        private static Future<Server> start(String name, EventLoop loop) {
            return switch (name) {
                case "echo" -> EchoServer.start(loop, "127.0.0.1", 0);
                case "echo-protocol" -> EchoProtocolServer.start(loop, "127.0.0.1", 0);
                case "http-server" -> HttpBinServer.start(loop, "127.0.0.1", 0);
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo", "echo-protocol", "http-server"})
    void aServerAtTheDescriptorLimitRecoversOnceConnectionsClose(String server) throws Exception {
        Path log = Files.createTempFile("descriptor-limit-" + server, ".log");
        Process child = startChild(server, log);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String portLine = out.readLine();
            assertTrue(portLine != null && portLine.startsWith("port "), () -> "child said " + portLine + died(child, log));
            int port = Integer.parseInt(portLine.substring(5));
            List<Socket> held = connect(port);
            try {
                assertEquals(ACCEPT_FAILED, out.readLine(), () -> "the child should run out of descriptors" + died(child, log));
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            assertServes(server, port, () -> died(child, log));
            assertTrue(child.isAlive(), () -> "the child is alive" + died(child, log));
        } finally {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(log);
        }
    }

    private static Process startChild(String server, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n " + DESCRIPTOR_LIMIT + " && exec \"$0\" -Xmx128m -XX:TieredStopAtLevel=1 \"$@\"";
        return new ProcessBuilder("bash", "-c", command, java,
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), server)
                .redirectError(log.toFile())
                .start();
    }

    /**
     * Opens up to {@link #HELD_CONNECTIONS}: those past the child's limit wait in its backlog. A
     * connect that fails ends the burst: the backlog is full (the kernel drops the SYN, and the
     * rest would time out too) or the child is gone.
     */
    private static List<Socket> connect(int port) throws IOException {
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < HELD_CONNECTIONS; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
                held.add(s);
            } catch (IOException e) {
                s.close();
                break;
            }
        }
        return held;
    }

    /** A fresh client gets its answer: the echo, or an HTTP status line. */
    private static void assertServes(String server, int port, Supplier<String> why) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            s.setSoTimeout(60_000);
            String request = server.equals("http-server") ? "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" : "hello\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String expected = server.equals("http-server") ? "HTTP/1.1 200" : "hello\n";
            byte[] got = s.getInputStream().readNBytes(expected.length());
            assertEquals(expected, new String(got, StandardCharsets.US_ASCII), why);
        } catch (IOException e) {
            fail("a fresh client was not served: " + e + why.get(), e);
        }
    }

    /** The child's state and the tail of its log, for a failure message. */
    private static String died(Process child, Path log) {
        String state = child.isAlive() ? "alive" : "exited with " + child.exitValue();
        String text;
        try {
            text = Files.readString(log);
        } catch (IOException e) {
            text = e.toString();
        }
        return "\nchild " + state + "; its log ends:\n" + text.substring(Math.max(0, text.length() - 6_000));
    }
}
