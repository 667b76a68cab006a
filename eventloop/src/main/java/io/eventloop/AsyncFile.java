package io.eventloop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * An open file whose reads and writes run on the loop's default executor: the file object of
 * aiofiles ({@code async with aiofiles.open(p) as f: await f.read()}). Get one from
 * {@link AsyncFiles#open}; use it with {@link Async#using(Future, ThrowingFunction)} so that it
 * is closed on every path.
 *
 * <p>One operation at a time: starting one while the future of the previous one is pending throws
 * {@link IllegalStateException}, so reads and writes happen in the order they were asked for (the
 * executor has several threads and would otherwise be free to reorder them). Cancelling an
 * operation before it starts means it never starts; one that has started runs to its end (it is
 * not interrupted, because an interrupted {@code FileChannel} closes itself) and its result is
 * dropped. Errors of the file system fail the future with the original exception.
 *
 * <p>Compared with aiofiles: reads return bytes ({@code read(int)} is {@code f.read(n)} in binary
 * mode); decode with {@code new String(bytes, UTF_8)}, or use {@link AsyncFiles#readString} and
 * {@link AsyncFiles#lines} for text. Compared with {@code AsynchronousFileChannel}: the position
 * is kept for you and results complete on the loop thread.
 */
public final class AsyncFile implements AsyncCloseable {
    private static final int CHUNK = 64 * 1024;

    private final EventLoop loop;
    private final Path path;
    /** The channel; used only by executor work, which holds its monitor. */
    private final FileChannel channel;
    /** The future of the last operation, to refuse a second one while it is pending. Loop thread only. */
    private Future<?> lastOperation;
    /** Set by the first closeAsync(). Loop thread only. */
    private Future<Void> closing;

    AsyncFile(EventLoop loop, Path path, FileChannel channel) {
        this.loop = loop;
        this.path = path;
        this.channel = channel;
    }

    /**
     * The path the file was opened with.
     *
     * @return the path given to {@link AsyncFiles#open}
     */
    public Path path() {
        return path;
    }

    /**
     * Reads at most {@code max} bytes from the current position: aiofiles' {@code await f.read(n)}.
     *
     * @param max the most bytes to read
     * @return the bytes read; empty at the end of the file (or when {@code max} is 0)
     * @throws IllegalArgumentException if {@code max} is negative
     * @throws IllegalStateException if the file is closed or another operation is pending
     */
    public Future<byte[]> read(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("read(max): max must not be negative, was " + max);
        }
        return run("read", () -> {
            // read(Integer.MAX_VALUE) near the end of a small file must not allocate 2 GiB
            long remaining = channel.size() - channel.position();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, remaining > 0 ? remaining : CHUNK));
            int n = 0;
            while (buffer.hasRemaining()) {
                int r = channel.read(buffer);
                if (r <= 0) {
                    break;
                }
                n += r;
            }
            return n == 0 ? new byte[0] : Arrays.copyOf(buffer.array(), n);
        });
    }

    /**
     * Reads from the current position to the end of the file: aiofiles' {@code await f.read()}.
     *
     * @return the bytes read, empty at the end of the file
     * @throws IllegalStateException if the file is closed or another operation is pending
     */
    public Future<byte[]> readAll() {
        return run("readAll", () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            while (channel.read(buffer) > 0 || buffer.position() > 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        });
    }

    /**
     * Writes all of {@code bytes} at the current position: aiofiles' {@code await f.write(b)}.
     * The array is copied, so the caller may reuse it at once.
     *
     * @param bytes the bytes to write
     * @return the number of bytes written, always {@code bytes.length}
     * @throws IllegalStateException if the file is closed or another operation is pending
     */
    public Future<Integer> write(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        byte[] copy = bytes.clone();
        return run("write", () -> writeFully(copy));
    }

    /**
     * Writes {@code text} encoded as UTF-8 at the current position: aiofiles' {@code await f.write(s)}
     * on a text file.
     *
     * @param text the text to write
     * @return the number of bytes written
     * @throws IllegalStateException if the file is closed or another operation is pending
     */
    public Future<Integer> write(String text) {
        Objects.requireNonNull(text, "text");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return run("write", () -> writeFully(bytes));
    }

    private int writeFully(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        return bytes.length;
    }

    /**
     * Closes the file on the executor. Every call returns a future of the same close; cancelling
     * that future does not stop the close, so a cancelled {@code using} still releases the file.
     * An operation still pending may complete first or fail with
     * {@link java.nio.channels.ClosedChannelException}.
     */
    @Override
    public Future<Void> closeAsync() {
        loop.checkThread("AsyncFile.closeAsync");
        if (closing == null) {
            closing = Offload.start(loop, channel, () -> {
                channel.close();
                return null;
            }, null);
        }
        return Async.shield(closing);
    }

    /**
     * Whether {@link #closeAsync()} was called.
     *
     * @return true once the file is closing or closed
     */
    public boolean isClosed() {
        loop.checkThread("AsyncFile.isClosed");
        return closing != null;
    }

    private <V> Future<V> run(String operation, java.util.concurrent.Callable<V> work) {
        loop.checkThread("AsyncFile." + operation);
        if (closing != null) {
            throw new IllegalStateException(operation + "() of " + this + ", which is closed");
        }
        if (lastOperation != null && !lastOperation.isDone()) {
            throw new IllegalStateException(operation + "() of " + this + " while the previous operation is"
                    + " pending: wait for each operation's future");
        }
        Future<V> f = Offload.start(loop, channel, work, null);
        lastOperation = f;
        return f;
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + "]";
    }
}
