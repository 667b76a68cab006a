package io.eventloop.postgres;

import io.eventloop.Async;
import io.eventloop.AsyncFile;
import io.eventloop.AsyncIterator;
import io.eventloop.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sinks and sources for the COPY methods of {@link PgConnection}: a file written or read on the
 * loop's executor ({@link AsyncFile}), or any {@link WritableByteChannel}. asyncpg's
 * {@code copy_from_table(output=path_or_file)} and {@code copy_to_table(source=path_or_file)}
 * accept these directly; here they are made into the sink function or the source iterator the
 * methods take, so one method serves every kind of destination.
 *
 * <pre>{@code
 * Async.using(AsyncFiles.open(path, CREATE, WRITE, TRUNCATE_EXISTING), file ->
 *         conn.copyFromTable("items", PgCopy.toFile(file), CopyOptions.defaults().format(Format.CSV)));
 * }</pre>
 */
public final class PgCopy {
    /** Bytes read from a file per CopyData. */
    static final int FILE_CHUNK = 64 * 1024;

    private PgCopy() {
    }

    /**
     * A sink writing each chunk to {@code file}, one write at a time: the COPY waits for each write
     * (the file's speed holds the server back).
     *
     * @param file an open file; the caller closes it
     * @return the sink, for {@link PgConnection#copyFromTable} and {@link PgConnection#copyFromQuery}
     */
    public static Function<ByteBuffer, Future<?>> toFile(AsyncFile file) {
        return chunk -> {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            return file.write(bytes);
        };
    }

    /**
     * A sink writing each chunk to {@code channel} on the loop's thread: for a channel that does
     * not block (an in-memory channel, a pipe in non-blocking mode that keeps up). A blocking
     * channel blocks the loop; prefer {@link #toFile} for files.
     *
     * @param channel where the data goes; the caller closes it
     * @return the sink; its future fails with an {@link UncheckedIOException} if a write fails
     */
    public static Function<ByteBuffer, Future<?>> toChannel(WritableByteChannel channel) {
        return chunk -> {
            try {
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                return Async.completed(null);
            } catch (IOException e) {
                return Async.failed(new UncheckedIOException("writing COPY data to " + channel, e));
            }
        };
    }

    /**
     * The contents of {@code file} from its current position, {@value #FILE_CHUNK} bytes at a
     * time, for {@link PgConnection#copyToTable(String, AsyncIterator, CopyOptions)}.
     *
     * @param file an open file; the caller closes it
     * @return the chunks, each read when the COPY is ready for it
     */
    public static AsyncIterator<byte[]> fromFile(AsyncFile file) {
        return () -> file.read(FILE_CHUNK).map(b -> b.length == 0 ? Optional.<byte[]>empty() : Optional.of(b));
    }
}
