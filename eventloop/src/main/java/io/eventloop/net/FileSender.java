package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * The two ways {@link Transport#sendFile} sends a file: a {@link Segment} that a plain socket's
 * transport queues among its buffered bytes and feeds to {@link FileChannel#transferTo}
 * (asyncio's {@code _sendfile_native}), and {@link #fallback} for the transports that must see
 * the bytes (asyncio's {@code _sendfile_fallback}).
 *
 * <p>Loop thread only.
 */
final class FileSender {
    /** The fallback's chunk: one read and one write of this size at a time, asyncio's 256 KiB cap. */
    static final int CHUNK = 256 * 1024;

    private FileSender() {
    }

    static void checkArguments(FileChannel file, long position, long count) {
        Objects.requireNonNull(file, "file");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
    }

    /** Leaves the file's position after the bytes sent, as asyncio's {@code file.seek(offset + total_sent)}. */
    static void seek(FileChannel file, long to) {
        try {
            file.position(to);
        } catch (IOException e) {
            // a closed file: its position no longer means anything
        }
    }

    /**
     * A range of a file waiting in a socket transport's queue, sent with {@code transferTo} as the
     * socket takes it.
     *
     * <pre>
     *   queued ──transfer()…──&gt; done (count sent, or the file ended): future completes with sent
     *     └── cancelled / connection lost ──&gt; removed: future cancelled / failed
     * </pre>
     */
    static final class Segment {
        final FileChannel file;
        final long start;
        final long count;
        final Future<Long> future;
        /** Bytes handed to the socket so far. */
        long sent;
        /** transferTo found the end of the file before {@link #count} bytes. */
        private boolean eof;

        Segment(FileChannel file, long start, long count, Future<Long> future) {
            this.file = file;
            this.start = start;
            this.count = count;
            this.future = future;
        }

        /**
         * One {@code transferTo} into {@code socket}: the bytes it took, 0 when it is full or
         * the file has ended (then {@link #done()} says so).
         */
        long transfer(WritableByteChannel socket) throws IOException {
            long n = file.transferTo(start + sent, count - sent, socket);
            if (n == 0 && start + sent >= file.size()) {
                eof = true;
            }
            sent += n;
            return n;
        }

        boolean done() {
            return eof || sent == count;
        }

        /** Bytes the queue was charged for and that will not be sent now: what is left of the range. */
        long remaining() {
            return count - sent;
        }

        /** Out of the queue: complete with the count, fail with {@code error}, or (cancelled) just seek. */
        void finish(Throwable error) {
            seek(file, start + sent);
            if (error != null) {
                future.fail(error);
            } else {
                future.complete(sent);
            }
        }

        @Override
        public String toString() {
            return "sendFile[" + start + "+" + count + ", sent " + sent + "]";
        }
    }

    /**
     * asyncio's fallback: read a chunk on the default executor, write it, wait until the
     * transport has handed it to the socket, read the next. One chunk in memory at a time; the
     * read is never interrupted (an interrupted {@code FileChannel} closes itself, and the file is
     * the caller's).
     */
    static Future<Long> fallback(Transport transport, FileChannel file, long position, long count) {
        checkArguments(file, position, count);
        EventLoop loop = transport.loop();
        NetSupport.checkThread(loop, "Transport.sendFile");
        if (transport.isClosing()) {
            return NetSupport.failed(loop, new ClosedChannelException());
        }
        Fallback f = new Fallback(transport, file, position, count);
        f.next();
        return f.result;
    }

    private static final class Fallback {
        final Transport transport;
        final FileChannel file;
        final long start;
        final long count;
        final Future<Long> result;
        /** Bytes written to the transport so far. */
        long written;

        Fallback(Transport transport, FileChannel file, long start, long count) {
            this.transport = transport;
            this.file = file;
            this.start = start;
            this.count = count;
            this.result = transport.loop().createFuture();
            result.onDone(r -> {
                if (r.isCancelled()) {
                    seek(file, start + written);
                }
            });
        }

        void next() {
            if (result.isDone()) {
                return;
            }
            if (written == count) {
                finish();
                return;
            }
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, count - written));
            long at = start + written;
            transport.loop().runInExecutor(null, () -> read(chunk, at)).onDone(r -> {
                if (result.isDone()) {
                    return;
                }
                if (r.exception() != null) {
                    seek(file, start + written);
                    result.fail(r.exception());
                    return;
                }
                if (r.result() <= 0) {
                    finish(); // the file ended first
                    return;
                }
                if (transport.isClosing()) {
                    seek(file, start + written);
                    result.fail(new ClosedChannelException());
                    return;
                }
                chunk.flip();
                transport.write(chunk);
                written += chunk.remaining();
                transport.flushed().onDone(w -> {
                    if (result.isDone()) {
                        return;
                    }
                    if (w.exception() != null || w.isCancelled()) {
                        seek(file, start + written);
                        result.fail(w.exception() != null ? w.exception() : new ClosedChannelException());
                    } else {
                        next();
                    }
                });
            });
        }

        private Integer read(ByteBuffer chunk, long at) throws IOException {
            int total = 0;
            while (chunk.hasRemaining()) {
                int n = file.read(chunk, at + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        }

        private void finish() {
            seek(file, start + written);
            result.complete(written);
        }
    }
}
