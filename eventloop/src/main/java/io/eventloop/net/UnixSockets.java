package io.eventloop.net;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The file-system side of Unix domain sockets: the path's length, the file a listening socket
 * leaves behind, and removing it again. The sockets themselves are ordinary
 * {@link java.nio.channels.SocketChannel}s of the {@link StandardProtocolFamily#UNIX} family, served by
 * {@link Server} and {@link SocketTransport} as TCP ones are.
 */
final class UnixSockets {
    /**
     * The longest path in bytes: {@code sun_path} holds 108 on Linux (104 on the BSDs and macOS),
     * the terminating NUL included. The JDK's own message for a longer one is "Unix domain path
     * too long", without the path.
     */
    static final int MAX_PATH_BYTES = 107;
    /** {@code S_IFMT} and {@code S_IFSOCK} of {@code stat(2)}'s mode. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private UnixSockets() {
    }

    /**
     * The socket address of {@code path}.
     *
     * @throws IllegalArgumentException naming the path if it is empty or longer than the kernel takes
     */
    static UnixDomainSocketAddress address(Path path) {
        Objects.requireNonNull(path, "path");
        String s = path.toString();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("a Unix domain socket needs a path, not an empty one");
        }
        int bytes = s.getBytes(Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("Unix domain socket path too long: " + bytes + " bytes, the limit is "
                    + MAX_PATH_BYTES + " (use a shorter or a relative path): " + path);
        }
        return UnixDomainSocketAddress.of(path);
    }

    /**
     * Makes room to bind {@code path}: nothing there is fine; a socket nobody listens on (left by a
     * server that died) is removed, as asyncio's {@code create_unix_server} removes it; a socket
     * a live server listens on, or anything that is not a socket, is refused with a
     * {@link BindException} naming the path. asyncio removes a live server's socket too (the
     * live server then stops receiving connections without noticing); a connect attempt tells
     * the two apart here.
     */
    static void removeStale(Path path, UnixDomainSocketAddress address) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new BindException("cannot listen on " + path + ": the file exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false); // a full backlog answers EAGAIN instead of blocking: live all the same
            probe.connect(address);
        } catch (ConnectException e) {
            Files.deleteIfExists(path); // ECONNREFUSED: no one listens; a stale file
            return;
        }
        throw new BindException("cannot listen on " + path + ": a server is listening on it");
    }

    /** Whether {@code path} itself (not what a link points to) is a socket. */
    static boolean isSocket(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException e) {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        }
    }

    /** The identity of the file at {@code path} (device and inode), to know it again at close; null if unknown. */
    static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Removes the socket file a closing server bound, unless something else is there now (asyncio
     * 3.13's {@code cleanup_socket}, which compares the inode the same way): a second server that
     * replaced it keeps its own.
     */
    static void removeOnClose(Path path, Object key) {
        try {
            if (key != null && key.equals(fileKey(path)) && isSocket(path)) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // removed by someone else: nothing to do
        } catch (IOException e) {
            // the directory went away or became unwritable: the file is not ours to chase
        }
    }
}
