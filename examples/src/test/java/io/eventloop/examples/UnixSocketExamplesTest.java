package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The echo and chat servers with {@code --unix PATH}, against {@code socat UNIX-CONNECT:PATH} and
 * {@code nc -U PATH} (the Debian packages socat and netcat-openbsd; .ci/run installs both).
 */
class UnixSocketExamplesTest {
    @TempDir
    Path dir;
    private final List<ExampleProcess> servers = new ArrayList<>();
    private final List<Process> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : clients) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (ExampleProcess s : servers) {
            s.close();
        }
    }

    /** Starts {@code ./run NAME --unix PATH ...} and waits for its {@code listening on PATH} line. */
    private Path serve(String name, String... more) throws Exception {
        Path path = dir.resolve(name + ".sock");
        List<String> args = new ArrayList<>(List.of(name, "--unix", path.toString()));
        args.addAll(List.of(more));
        ExampleProcess p = ExampleProcess.start(List.of(), args.toArray(new String[0]));
        servers.add(p);
        assertEquals(path.toString(), p.listeningOn());
        p.discardOutput();
        assertTrue(Files.exists(path));
        return path;
    }

    /** Starts a client program; fails naming its Debian package when it is not installed. */
    private Process client(String debianPackage, String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException missing) {
            fail(command[0] + " is not installed (Debian package " + debianPackage + "; .ci/run installs it): "
                    + missing.getMessage());
            throw missing;
        }
        clients.add(p);
        return p;
    }

    /** Feeds {@code input} to the client, closes its input, and returns all it printed once it exits. */
    private static String converse(Process p, String input) throws Exception {
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the client did not finish");
        return out;
    }

    @Test
    void echoAnswersSocat() throws Exception {
        Path path = serve("echo");
        String lines = "hello\nover a unix socket\n";
        assertEquals(lines, converse(client("socat", "socat", "-t", "10", "-", "UNIX-CONNECT:" + path), lines));
    }

    @Test
    void echoProtocolAnswersNcU() throws Exception {
        Path path = serve("echo-protocol");
        String lines = "one\ntwo\n";
        assertEquals(lines, converse(client("netcat-openbsd", "nc", "-N", "-U", path.toString()), lines));
    }

    @Test
    void echoCarriesAMegabyteThroughSocat() throws Exception {
        Path path = serve("echo");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < (1 << 20); i++) {
            sb.append("line ").append(i).append('\n');
        }
        String data = sb.toString();
        Process p = client("socat", "socat", "-t", "10", "-", "UNIX-CONNECT:" + path);
        Thread writer = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(data.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the read below fails with the reason
            }
        });
        writer.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        writer.join();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(data, out);
    }

    @Test
    void chatUsersMeetOverNcU() throws Exception {
        Path path = serve("chat");
        Process alice = client("netcat-openbsd", "nc", "-U", path.toString());
        BufferedReader aliceOut = new BufferedReader(new InputStreamReader(alice.getInputStream(), StandardCharsets.UTF_8));
        OutputStream aliceIn = alice.getOutputStream();
        assertEquals("* welcome to eventloop chat! pick a nickname:", aliceOut.readLine());
        aliceIn.write("alice\n".getBytes(StandardCharsets.UTF_8));
        aliceIn.flush();
        assertEquals("* hello alice! 1 online: alice. /help lists the commands.", aliceOut.readLine());
        Process bob = client("socat", "socat", "-", "UNIX-CONNECT:" + path);
        BufferedReader bobOut = new BufferedReader(new InputStreamReader(bob.getInputStream(), StandardCharsets.UTF_8));
        OutputStream bobIn = bob.getOutputStream();
        assertEquals("* welcome to eventloop chat! pick a nickname:", bobOut.readLine());
        bobIn.write("bob\nhi alice\n".getBytes(StandardCharsets.UTF_8));
        bobIn.flush();
        assertEquals("* hello bob! 2 online: alice, bob. /help lists the commands.", bobOut.readLine());
        assertEquals("* bob joined", aliceOut.readLine());
        assertEquals("<bob> hi alice", aliceOut.readLine());
        aliceIn.close();
        bobIn.close();
    }

    @Test
    void aStaleSocketFileIsReplacedAndTheFileGoesOnExit() throws Exception {
        Path path = dir.resolve("echo.sock");
        try (java.nio.channels.ServerSocketChannel dead =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(path)); // left behind, as by a killed server
        }
        assertEquals(path, serve("echo"));
        ExampleProcess p = servers.get(0);
        p.terminate();
        assertTrue(p.awaitExit(), "the server did not exit on TERM");
        assertFalse(Files.exists(path), "the socket file is removed when the server closes");
    }

    @Test
    void aPathThatIsNotASocketIsRefusedNamingIt() throws Exception {
        Path path = dir.resolve("echo.sock");
        Files.writeString(path, "keep me");
        ExampleProcess.Finished f = ExampleProcess.run("echo", "--unix", path.toString());
        assertTrue(f.exitValue() != 0, f.output());
        assertTrue(f.output().contains(path.toString()) && f.output().contains("not a socket"), f.output());
        assertEquals("keep me", Files.readString(path));
    }

    @Test
    void unixAndTlsTogetherAreRefused() throws Exception {
        ExampleProcess.Finished f = ExampleProcess.run("echo", "--unix", dir.resolve("x.sock").toString(), "--tls");
        assertEquals(2, f.exitValue(), f.output());
        assertTrue(f.output().contains("--unix") && f.output().contains("--tls"), f.output());
    }
}
