package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Once a loop exists, a socket can be written and closed with no descriptor left. Runs in a child
 * JVM (this one initialised its NIO classes long ago), which creates a loop, connects a socket
 * pair, opens {@code /dev/null} until "Too many open files", then writes and closes the sockets.
 * Without {@link NioWarmUp}, the write fails with {@code ExceptionInInitializerError} from
 * {@code sun.nio.ch.FileDispatcherImpl}.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a safety net only
class NioWarmUpTest {
    /** The child: prints what it did, or the error that stopped it. */
    static final class Child {
        public static void main(String[] args) throws IOException {
            EventLoop loop = new EventLoop(); // open: closing a selector initialises the class too
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            List<InputStream> hog = new ArrayList<>();
            try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback, 1);
                    SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel accepted = listener.accept()) {
                hogDescriptors(hog);
                client.write(ByteBuffer.wrap(new byte[] {1}));
                System.out.println("wrote at the limit");
            } catch (Throwable t) {
                System.out.println("failed: " + t);
            } finally {
                for (InputStream in : hog) {
                    in.close();
                }
            }
            System.out.println("closed");
            loop.close();
        }

        /** Opens {@code /dev/null} until the process has no descriptor left. */
        private static void hogDescriptors(List<InputStream> hog) {
            try {
                while (true) {
                    hog.add(new FileInputStream("/dev/null"));
                }
            } catch (IOException e) {
                // "Too many open files": the limit is reached
            }
        }
    }

    @Test
    void aSocketCanBeWrittenAndClosedAtTheDescriptorLimitOnceALoopExists() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("bash", "-c", "ulimit -n 128 && exec \"$0\" \"$@\"", java,
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true)
                .start();
        try (InputStream out = child.getInputStream()) {
            String said = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("wrote at the limit\nclosed\n", said);
        } finally {
            child.destroy();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
