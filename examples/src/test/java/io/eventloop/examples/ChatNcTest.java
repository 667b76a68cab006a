package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chat server with real {@code nc} clients (netcat-openbsd; .ci/run installs it). */
class ChatNcTest {
    private LoopThread server;
    private ChatServer chat;
    private final List<Nc> clients = new ArrayList<>();

    /** One {@code nc} process; its output lines are read on a thread into a queue. */
    private static final class Nc {
        final Process process;
        final OutputStream in;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Nc(int port) throws IOException {
            process = new ProcessBuilder("nc", "127.0.0.1", Integer.toString(port)).redirectErrorStream(true).start();
            in = process.getOutputStream();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("<read failed: " + e + ">");
                }
            }, "nc-output");
            t.setDaemon(true);
            t.start();
        }

        void type(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** The next line nc printed; a 60 s hang guard. */
        String next() throws InterruptedException {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("nc printed nothing for 60 s");
            }
            return line;
        }

        void expect(String line) throws InterruptedException {
            assertEquals(line, next());
        }
    }

    private static boolean ncInstalled() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v nc").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Nc nc(int port) throws IOException {
        Nc c = new Nc(port);
        clients.add(c);
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.call(() -> chat.shutdown()); // closes every connection
            server.close();
        }
        for (Nc c : clients) {
            c.in.close(); // nc ends once both its input and the connection have ended
            if (!c.process.waitFor(30, TimeUnit.SECONDS)) {
                c.process.destroyForcibly();
                throw new AssertionError("nc did not end");
            }
        }
    }

    @Test
    void ncUsersJoinTalkRenameAndLeave() throws Exception {
        assumeTrue(ncInstalled(), "nc is not installed");
        ChatServer.Config config = new ChatServer.Config();
        config.port = 0;
        server = new LoopThread("chat-loop");
        chat = server.call(() -> ChatServer.start(server.loop, config));
        int port = chat.port();

        Nc alice = nc(port);
        alice.expect("* welcome to eventloop chat! pick a nickname:");
        alice.type("alice");
        alice.expect("* hello alice! 1 online: alice. /help lists the commands.");

        Nc bob = nc(port);
        bob.expect("* welcome to eventloop chat! pick a nickname:");
        bob.type("bob");
        bob.expect("* hello bob! 2 online: alice, bob. /help lists the commands.");
        alice.expect("* bob joined");

        alice.type("hi bob");
        bob.expect("<alice> hi bob");
        bob.type("/nick robert");
        bob.expect("* bob is now known as robert");
        alice.expect("* bob is now known as robert");

        Nc carol = nc(port);
        carol.expect("* welcome to eventloop chat! pick a nickname:");
        carol.type("carol");
        carol.expect("* hello carol! 3 online: alice, carol, robert. /help lists the commands.");
        alice.expect("* carol joined");
        bob.expect("* carol joined");
        carol.type("/who");
        carol.expect("* 3 online: alice, carol, robert");

        bob.type("/me waves");
        alice.expect("* robert waves");
        carol.expect("* robert waves");

        alice.type("/quit");
        alice.expect("* bye");
        bob.expect("* alice left");
        carol.expect("* alice left");
        alice.in.close();
        assertTrue(alice.process.waitFor(30, TimeUnit.SECONDS), "nc ends");

        carol.type("bye all");
        bob.expect("<carol> bye all");
        assertTrue(alice.lines.isEmpty(), "alice heard nothing after leaving: " + alice.lines);
    }
}
