package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static io.eventloop.net.NetTesting.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeaks.class)
class UnixSocketTest {
    @TempDir
    Path dir;
    private Path path;
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        path = dir.resolve("s.sock");
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    @AfterEach
    void tearDown() {
        for (Server s : servers) {
            s.close();
            await(loop, s.waitClosed());
        }
        NetTesting.finish(loop);
        assertEquals(List.of(), errors, "reported to the exception handler");
    }

    /** Echoes every byte until EOF, then closes. */
    private Server echoServer(Path at) {
        Server s = await(loop, Net.startUnixServer(loop, (r, w) -> Async.repeat(() -> r.read(64 * 1024).then(b -> {
            if (b.length == 0) {
                return Async.completed(false);
            }
            w.write(b);
            return w.drain().map(v -> true);
        })), at));
        servers.add(s);
        return s;
    }

    @Test
    void streamsRoundTripOverASocketFile() throws IOException {
        assertFalse(Files.exists(path));
        Server server = echoServer(path);
        assertEquals(path, server.path());
        assertEquals(-1, server.port());
        assertTrue(UnixSockets.isSocket(path));
        Connection c = await(loop, Net.openUnixConnection(loop, path));
        c.writer().write("hello\n");
        assertEquals("hello", await(loop, c.reader().readLine()));
        assertInstanceOf(UnixDomainSocketAddress.class, c.writer().remoteAddress());
        assertEquals(path, ((UnixDomainSocketAddress) c.writer().remoteAddress()).getPath());
        c.writer().close();
        await(loop, c.writer().waitClosed());
    }

    @Test
    void halfCloseDeliversEofAndTheAnswerStillComes() {
        servers.add(await(loop, Net.startUnixServer(loop, (r, w) -> r.read(-1).then(all -> {
            w.write(("got " + all.length).getBytes(StandardCharsets.UTF_8));
            return w.drain();
        }), path)));
        Connection c = await(loop, Net.openUnixConnection(loop, path));
        assertTrue(c.writer().canWriteEof());
        c.writer().write(new byte[1000]);
        c.writer().writeEof();
        assertEquals("got 1000", new String(await(loop, c.reader().read(-1)), StandardCharsets.UTF_8));
        assertTrue(c.reader().atEof());
        c.writer().close();
    }

    @Test
    void aMegabyteComesBackIntact() {
        echoServer(path);
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Connection c = await(loop, Net.openUnixConnection(loop, path));
        c.writer().write(data);
        c.writer().writeEof();
        assertArrayEquals(data, await(loop, c.reader().readExactly(data.length)));
        c.writer().close();
    }

    @Test
    void closingTheServerRemovesTheSocketFile() throws IOException {
        Server server = echoServer(path);
        assertTrue(UnixSockets.isSocket(path));
        server.close();
        assertFalse(Files.exists(path));
        assertInstanceOf(IOException.class, failure(loop, Net.openUnixConnection(loop, path)));
    }

    @Test
    void aStaleSocketFileIsReplaced() throws IOException {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path)); // closing leaves the file, as a killed server does
        }
        assertTrue(UnixSockets.isSocket(path));
        ConnectException refused = assertInstanceOf(ConnectException.class,
                failure(loop, Net.openUnixConnection(loop, path)));
        assertTrue(refused.getMessage().contains(path.toString()), refused.getMessage());
        echoServer(path);
        Connection c = await(loop, Net.openUnixConnection(loop, path));
        c.writer().write("x\n");
        assertEquals("x", await(loop, c.reader().readLine()));
        c.writer().close();
    }

    @Test
    void aFileThatIsNotASocketIsRefusedAndKept() throws IOException {
        Files.writeString(path, "precious");
        BindException e = assertInstanceOf(BindException.class,
                failure(loop, Net.startUnixServer(loop, (r, w) -> null, path)));
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(path));
        Path directory = Files.createDirectory(dir.resolve("d"));
        assertInstanceOf(BindException.class, failure(loop, Net.startUnixServer(loop, (r, w) -> null, directory)));
        Path link = Files.createSymbolicLink(dir.resolve("l"), path);
        assertInstanceOf(BindException.class, failure(loop, Net.startUnixServer(loop, (r, w) -> null, link)));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aLiveServersSocketIsNotTakenOver() {
        echoServer(path);
        BindException e = assertInstanceOf(BindException.class,
                failure(loop, Net.startUnixServer(loop, (r, w) -> null, path)));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        Connection c = await(loop, Net.openUnixConnection(loop, path)); // the first server still serves
        c.writer().write("y\n");
        assertEquals("y", await(loop, c.reader().readLine()));
        c.writer().close();
    }

    @Test
    void aPathTooLongIsRefusedNamingIt() {
        Path tooLong = dir.resolve("x".repeat(120));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Net.startUnixServer(loop, (r, w) -> null, tooLong));
        assertTrue(e.getMessage().contains(tooLong.toString()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Net.openUnixConnection(loop, tooLong));
        assertTrue(e.getMessage().contains(tooLong.toString()), e.getMessage());
        assertFalse(Files.exists(tooLong));
        Path longest = Path.of("p".repeat(UnixSockets.MAX_PATH_BYTES)); // relative: the limit itself is fine
        assertEquals(longest, UnixSockets.address(longest).getPath());
    }

    @Test
    void connectingToAMissingFileFailsNamingIt() {
        Throwable e = failure(loop, Net.openUnixConnection(loop, dir.resolve("none.sock")));
        assertInstanceOf(IOException.class, e);
        assertTrue(e.getMessage().contains("none.sock"), e.getMessage());
    }

    @Test
    void closingAServerWhoseFileWasReplacedLeavesTheNewOne() throws IOException {
        Server first = echoServer(path);
        Files.delete(path);
        Server second = echoServer(path);
        first.close();
        assertTrue(UnixSockets.isSocket(path), "the second server's socket file must stay");
        second.close();
        assertFalse(Files.exists(path));
    }

    @Test
    void manyClientsAtOnce() {
        echoServer(path);
        int n = 64;
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String line = "client " + i + "\n";
            answers.add(Net.openUnixConnection(loop, path).then(c -> {
                c.writer().write(line);
                return c.reader().readLine().map(got -> {
                    c.writer().close();
                    return got;
                });
            }));
        }
        List<String> got = await(loop, Async.gather(answers));
        for (int i = 0; i < n; i++) {
            assertEquals("client " + i, got.get(i));
        }
    }

    @Test
    void protocolsServeAndConnectOnAPath() {
        List<Recorder> accepted = new ArrayList<>();
        Server server = await(loop, Net.createUnixServer(loop, () -> {
            TransportTest.Echo e = new TransportTest.Echo(loop);
            accepted.add(e);
            return e;
        }, path));
        servers.add(server);
        Recorder client = new Recorder(loop);
        Transport t = await(loop, Net.createUnixConnection(loop, () -> client, path));
        assertInstanceOf(UnixDomainSocketAddress.class, t.localAddress());
        t.write(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, await(loop, client.receive(3)));
        assertEquals(1, server.connectionCount());
        assertEquals(path, ((UnixDomainSocketAddress) accepted.get(0).transport.localAddress()).getPath());
        t.close();
        assertNull(await(loop, client.lost));
        assertEquals(List.of("made", "lost:null"), client.events);
    }

    @Test
    void aFileGoesOverAUnixSocketWithSendFile() throws IOException {
        byte[] content = new byte[3 << 20];
        new Random(3).nextBytes(content);
        Path file = dir.resolve("f.bin");
        Files.write(file, content);
        servers.add(await(loop, Net.startUnixServer(loop, (r, w) -> {
            java.nio.channels.FileChannel f;
            try {
                f = java.nio.channels.FileChannel.open(file);
            } catch (IOException e) {
                return Async.failed(e);
            }
            w.write("head".getBytes(StandardCharsets.UTF_8));
            return w.sendFile(f, 0, content.length).ensure(() -> closeQuietly(f));
        }, path)));
        Connection c = await(loop, Net.openUnixConnection(loop, path));
        assertArrayEquals("head".getBytes(StandardCharsets.UTF_8), await(loop, c.reader().readExactly(4)));
        assertArrayEquals(content, await(loop, c.reader().readExactly(content.length)));
        c.writer().close();
    }

    private static void closeQuietly(java.nio.channels.FileChannel f) {
        try {
            f.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tlsRunsOverAUnixSocket() {
        SelfSignedCertificate cert = SelfSignedCertificate.generate();
        Server server = await(loop, Net.startUnixServer(loop, (r, w) -> r.readLine().then(line -> {
            w.write(line + "\n");
            return w.drain();
        }), path, StreamReader.DEFAULT_LIMIT, Server.DEFAULT_BACKLOG, TlsConfig.server(cert.serverContext())));
        servers.add(server);
        TlsConfig client = TlsConfig.client(cert.trustingContext());
        assertThrows(IllegalArgumentException.class,
                () -> Net.openUnixConnection(loop, path, StreamReader.DEFAULT_LIMIT, null, client));
        Connection c = await(loop, Net.openUnixConnection(loop, path, StreamReader.DEFAULT_LIMIT, null,
                client.serverName("localhost")));
        assertTrue(c.writer().transport().sslSession() != null);
        c.writer().write("secret\n");
        assertEquals("secret", await(loop, c.reader().readLine()));
        c.writer().close();
        await(loop, c.writer().waitClosed());
    }
}
