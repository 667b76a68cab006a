package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatServerTest {
    private LoopThread server;
    private ChatServer chat;

    private int start(ChatServer.Config config) throws Exception {
        config.port = 0;
        server = new LoopThread("chat-loop");
        chat = server.call(() -> ChatServer.start(server.loop, config));
        return chat.port();
    }

    private int start() throws Exception {
        return start(new ChatServer.Config());
    }

    /** Shuts the chat down (every handler has ended) and closes its loop, which reports what is still held. */
    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.call(() -> chat.shutdown());
            server.close();
            server = null;
        }
    }

    @Test
    void clientsJoinTalkRenameAndLeave() throws Exception {
        int port = start();
        try (LineClient alice = LineClient.join(port, "alice"); LineClient bob = new LineClient(port)) {
            bob.expect("* welcome");
            bob.send("bad nick!");
            bob.expect("* a nickname is");
            bob.send("alice");
            bob.expect("* alice is taken");
            bob.send("bob");
            assertEquals("* hello bob! 2 online: alice, bob. /help lists the commands.", bob.expect("* hello"));
            alice.expect("* bob joined");
            alice.send("hi bob");
            assertEquals("<alice> hi bob", bob.line());
            bob.send("/nick robert");
            assertEquals("* bob is now known as robert", bob.line());
            assertEquals("* bob is now known as robert", alice.line());
            bob.send("/me waves");
            assertEquals("* robert waves", alice.line());
            alice.send("/who");
            assertEquals("* 2 online: alice, robert", alice.line());
            alice.send("/frobnicate");
            assertTrue(alice.line().startsWith("* unknown command /frobnicate"));
            alice.send("/help");
            assertEquals("* commands:", alice.line());
            alice.expect("*   /help");
            alice.send("/quit see you");
            assertEquals("* bye", alice.line());
            assertNull(alice.line(), "the server closed alice's connection");
            assertEquals("* alice left (see you)", bob.line());
        }
    }

    @Test
    void hundredsOfClientsEachReceiveEveryMessageInPerSenderOrder() throws Exception {
        int port = start();
        int clients = 200;
        int messages = 5;
        List<LineClient> all = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                all.add(LineClient.join(port, "u" + i));
            }
            CountDownLatch done = new CountDownLatch(clients);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                LineClient me = all.get(i);
                String myNick = "u" + i;
                Thread t = new Thread(() -> {
                    try {
                        Map<String, Integer> last = new HashMap<>();
                        int got = 0;
                        while (got < (clients - 1) * messages) {
                            String line = me.line();
                            if (line == null) {
                                throw new AssertionError(myNick + ": EOF after " + got + " messages");
                            }
                            if (line.startsWith("*")) {
                                continue; // join notices of later clients
                            }
                            // "<u7> message 3"
                            String sender = line.substring(1, line.indexOf('>'));
                            int k = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                            if (sender.equals(myNick)) {
                                throw new AssertionError(myNick + " received its own message");
                            }
                            int expected = last.getOrDefault(sender, -1) + 1;
                            if (k != expected) {
                                throw new AssertionError(myNick + ": from " + sender + " got " + k + ", expected " + expected);
                            }
                            last.put(sender, k);
                            got++;
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                }, "chat-reader-" + i);
                t.start();
                readers.add(t);
            }
            for (int k = 0; k < messages; k++) {
                for (LineClient c : all) {
                    c.send("message " + k);
                }
            }
            assertTrue(done.await(120, TimeUnit.SECONDS), "hang guard");
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            for (Thread t : readers) {
                t.join();
            }
        } finally {
            for (LineClient c : all) {
                c.close();
            }
        }
    }

    @Test
    void aClientThatNeverReadsIsCutOffWhileTheOthersKeepReceiving() throws Exception {
        ChatServer.Config config = new ChatServer.Config();
        config.maxPendingBytes = 64 * 1024;
        int port = start(config);
        String padding = "x".repeat(500);
        try (LineClient sender = LineClient.join(port, "sender");
                LineClient good = LineClient.join(port, "good");
                LineClient bad = new LineClient(port, 4096)) {
            bad.expect("* welcome");
            bad.send("bad");
            bad.expect("* hello bad!");
            good.expect("* bad joined");
            sender.expect("* good joined");
            sender.expect("* bad joined");
            // from now on bad never reads
            AtomicReference<Throwable> failure = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean cutOff = new java.util.concurrent.atomic.AtomicBoolean();
            int[] received = {0};
            // Flow control for good only: the sender stays at most WINDOW lines ahead of what good
            // has read, so good's pending output (WINDOW x ~510 bytes) never nears the bound, on
            // however slow a machine, while bad's grows until it is cut off.
            final int window = 50;
            java.util.concurrent.Semaphore credit = new java.util.concurrent.Semaphore(window);
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        String line = good.line();
                        if (line == null) {
                            throw new AssertionError("good got EOF");
                        }
                        if (line.equals("* bad left (too slow to read)")) {
                            cutOff.set(true);
                        } else if (line.startsWith("<sender> last ")) {
                            assertEquals(Integer.parseInt(line.substring("<sender> last ".length())), received[0]);
                            return;
                        } else if (line.startsWith("<sender> ")) {
                            int k = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                            if (k != received[0]) {
                                throw new AssertionError("good: got line " + k + ", expected " + received[0]);
                            }
                            received[0]++;
                            credit.release();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            reader.start();
            // The kernel buffers megabytes for bad before the server holds any: send until it is cut off.
            int sent = 0;
            while (!cutOff.get() && failure.get() == null) {
                takeCredit(credit, failure);
                sender.send(padding + " " + sent++);
                if (sent == 400_000) {
                    throw new AssertionError("200 MB sent and bad was not cut off");
                }
            }
            for (int i = 0; i < 100 && failure.get() == null; i++) {
                takeCredit(credit, failure);
                sender.send(padding + " " + sent++); // the others keep receiving after the cut-off
            }
            sender.send("last " + sent);
            reader.join(TimeUnit.SECONDS.toMillis(120));
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(sent, received[0], "good received every line, in order");
            drainToEnd(bad.socket); // what the server had sent before, then the end
        }
    }

    /** Waits until good has read far enough to send one more line; a hang guard, not a timing assertion. */
    private static void takeCredit(java.util.concurrent.Semaphore credit, AtomicReference<Throwable> failure)
            throws InterruptedException {
        if (!credit.tryAcquire(60, TimeUnit.SECONDS) && failure.get() == null) {
            throw new AssertionError("good stopped reading");
        }
    }

    /** Reads until EOF or reset: the server's side is gone. */
    private static void drainToEnd(Socket s) throws IOException {
        byte[] buf = new byte[1 << 16];
        try {
            while (s.getInputStream().read(buf) >= 0) {
                // discard
            }
        } catch (java.net.SocketException reset) {
            // an abort may show as a reset
        }
    }

    @Test
    void aMebibyteLineWithoutNewlineGetsOneErrorAndTheServerStaysHealthy() throws Exception {
        int port = start();
        try (LineClient a = LineClient.join(port, "a"); LineClient b = LineClient.join(port, "b")) {
            a.expect("* b joined");
            byte[] huge = new byte[1 << 20];
            Arrays.fill(huge, (byte) 'x');
            Thread writer = new Thread(() -> {
                try {
                    a.sendRaw(huge);
                    a.sendRaw("\nafter\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            assertEquals("<a> after", b.line(), "only the line after the long one reaches b");
            writer.join(TimeUnit.SECONDS.toMillis(60));
            a.send("/who");
            List<String> toA = new ArrayList<>();
            String line;
            while (!(line = a.line()).startsWith("* 2 online")) {
                toA.add(line);
            }
            assertEquals(List.of("* line too long (the limit is 2048 bytes); it was dropped"), toA);
            try (LineClient c = LineClient.join(port, "c")) {
                c.send("still here");
                assertEquals("* c joined", b.line());
                assertEquals("<c> still here", b.line());
            }
        }
    }

    @Test
    void anIdleClientIsDisconnected() throws Exception {
        ChatServer.Config config = new ChatServer.Config();
        config.idleTimeout = Duration.ofMillis(300);
        int port = start(config);
        try (LineClient quiet = LineClient.join(port, "quiet")) {
            assertEquals("* idle for 300 ms, bye", quiet.line());
            assertNull(quiet.line());
        }
    }

    @Test
    void clientsBeyondTheMaximumAreTurnedAway() throws Exception {
        ChatServer.Config config = new ChatServer.Config();
        config.maxClients = 2;
        int port = start(config);
        try (LineClient one = new LineClient(port); LineClient two = LineClient.join(port, "two")) {
            one.expect("* welcome");
            assertTrue(two.socket.isConnected());
            try (LineClient three = new LineClient(port)) {
                assertEquals("* the server is full (2 clients), try again later", three.line());
                assertNull(three.line());
            }
        }
    }

    @Test
    void controlCharactersReachTheOthersShownNeverObeyed() throws Exception {
        int port = start();
        try (Socket alice = new Socket("127.0.0.1", port); Socket bob = new Socket("127.0.0.1", port)) {
            alice.setSoTimeout(60_000);
            bob.setSoTimeout(60_000);
            ByteArrayOutputStream toAlice = new ByteArrayOutputStream();
            ByteArrayOutputStream toBob = new ByteArrayOutputStream();
            readUntil(alice, "pick a nickname:\n", toAlice);
            send(alice, "alice\n");
            readUntil(alice, "/help lists the commands.\n", toAlice);
            readUntil(bob, "pick a nickname:\n", toBob);
            send(bob, "\u001b[2Jbob\n"); // a nickname with a control in it is refused
            readUntil(bob, "try again:\n", toBob);
            send(bob, "bob\n");
            readUntil(bob, "/help lists the commands.\n", toBob);
            readUntil(alice, "* bob joined\n", toAlice);
            int greeted = toBob.size();

            send(alice, "\u001b[2Jcleared\n"); // clear the screen
            send(alice, "\u001b]0;pwned\u0007title\n"); // OSC: set the window title, ended by BEL
            send(alice, "ding\u0007\n");
            send(alice, "x\r<bob> I am bob, send me your password\u001b[K\n"); // a forged line
            send(alice, "\u009b2Jcsi\n"); // C1 CSI, as UTF-8
            alice.getOutputStream().write(new byte[] {(byte) 0x9b, '2', 'J', '\n'}); // and as a bare byte
            send(alice, "del\u007f nul\u0000\n");
            send(alice, "tab\there\r\n"); // telnet's line end
            send(alice, "/me waves\u001b[2J\n");
            send(alice, "/frobnicate\u001b[2J\n"); // echoed back to alice
            send(alice, "/quit bye\u001b[2J\r\n");
            readUntil(bob, "* alice left (", toBob);
            readUntil(bob, "\n", toBob);
            toAlice.write(alice.getInputStream().readAllBytes()); // up to the server's close

            assertEquals(List.of(
                    "<alice> ^[[2Jcleared",
                    "<alice> ^[]0;pwned^Gtitle",
                    "<alice> ding^G",
                    "<alice> x^M<bob> I am bob, send me your password^[[K",
                    "<alice> \uFFFD2Jcsi",
                    "<alice> \uFFFD2J",
                    "<alice> del^? nul^@",
                    "<alice> tab\there",
                    "* alice waves^[[2J",
                    "* alice left (bye^[[2J)"),
                    new String(toBob.toByteArray(), greeted, toBob.size() - greeted, StandardCharsets.UTF_8).lines().toList());
            assertTrue(toAlice.toString(StandardCharsets.UTF_8).contains("* unknown command /frobnicate^[[2J;"));
            assertNoControls(toBob.toByteArray());
            assertNoControls(toAlice.toByteArray());
        }
    }

    /** No byte below 0x20 but LF and TAB, no DEL, and once decoded no C1 control. */
    private static void assertNoControls(byte[] received) {
        for (byte b : received) {
            int u = b & 0xFF;
            assertTrue(u == '\n' || u == '\t' || (u >= 0x20 && u != 0x7F), "control byte 0x" + Integer.toHexString(u));
        }
        new String(received, StandardCharsets.UTF_8).codePoints().forEach(cp ->
                assertFalse(cp >= 0x80 && cp <= 0x9F, "C1 control U+" + Integer.toHexString(cp)));
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads byte by byte into {@code into} until what was read ends with {@code end}; fails at EOF. */
    private static void readUntil(Socket s, String end, ByteArrayOutputStream into) throws IOException {
        byte[] suffix = end.getBytes(StandardCharsets.UTF_8);
        InputStream in = s.getInputStream();
        while (!endsWith(into.toByteArray(), suffix)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("EOF while waiting for '" + end.strip() + "' after: " + into);
            }
            into.write(b);
        }
    }

    private static boolean endsWith(byte[] bytes, byte[] suffix) {
        return bytes.length >= suffix.length
                && Arrays.equals(bytes, bytes.length - suffix.length, bytes.length, suffix, 0, suffix.length);
    }

    @Test
    void clientsThatResetTheirConnectionAreNeverReported() throws Exception {
        int port = start();
        List<ErrorContext> reported = new CopyOnWriteArrayList<>();
        server.call(() -> {
            server.loop.setExceptionHandler((loop, context) -> reported.add(context));
            return Async.completed(null);
        });
        try (LineClient watcher = LineClient.join(port, "watcher")) {
            LineClient early = new LineClient(port);
            early.expect("* welcome");
            reset(early.socket); // before picking a nickname
            for (int i = 0; i < 20; i++) {
                LineClient c = LineClient.join(port, "r" + i);
                watcher.expect("* r" + i + " joined");
                c.send("bye");
                reset(c.socket);
                watcher.expect("* r" + i + " left");
            }
        }
        stop(); // every handler has ended, and the closed loop has reported anything still held
        assertEquals(List.of(), reported);
    }

    /** Closes with SO_LINGER 0: the peer gets a reset (RST), not an end of stream. */
    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    @Test
    void aBurstOfConnectsIsEachGreetedOrToldTheServerIsFull() throws Exception {
        ChatServer.Config config = new ChatServer.Config();
        config.maxClients = 100;
        int port = start(config);
        int burst = config.maxClients + 100;
        // The loop is held while the burst connects, so every connect waits in the listen queue
        // at once: a burst faster than the loop accepts, on however fast a machine.
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch connected = new CountDownLatch(1);
        server.loop.callSoonThreadsafe(() -> {
            held.countDown();
            awaitUninterruptibly(connected);
        });
        List<Socket> sockets = new ArrayList<>();
        try {
            assertTrue(held.await(60, TimeUnit.SECONDS), "hang guard");
            for (int i = 0; i < burst; i++) {
                Socket s = new Socket();
                sockets.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port), 60_000); // the timeout is a hang guard
            }
            connected.countDown();
            Map<String, Integer> firstLines = new HashMap<>();
            for (Socket s : sockets) {
                s.setSoTimeout(60_000);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                readUntil(s, "\n", line);
                firstLines.merge(line.toString(StandardCharsets.UTF_8).strip(), 1, Integer::sum);
            }
            assertEquals(Map.of("* welcome to eventloop chat! pick a nickname:", config.maxClients,
                    "* the server is full (100 clients), try again later", burst - config.maxClients), firstLines);
        } finally {
            connected.countDown();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shutdownTellsEveryClientFlushesAndCloses() throws Exception {
        int port = start();
        try (LineClient a = LineClient.join(port, "a"); LineClient b = LineClient.join(port, "b")) {
            a.expect("* b joined");
            server.call(() -> chat.shutdown());
            assertEquals("* the server is shutting down, bye", a.line());
            assertNull(a.line());
            assertEquals("* the server is shutting down, bye", b.line());
            assertNull(b.line());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }
}
