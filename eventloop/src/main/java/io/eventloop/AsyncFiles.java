package io.eventloop;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * File I/O that does not block the loop: what aiofiles is to asyncio. Each call runs the blocking
 * {@link java.nio.file.Files} operation on the current loop's default executor (as
 * {@link EventLoop#runInExecutor} with a null executor) and completes its future on the loop.
 * Text is UTF-8.
 *
 * <p>Cancelling a future before its work starts means the work never starts; work that has started
 * runs to its end and its result is dropped (a file it opened is closed). Errors of the file system
 * fail the future with the original exception ({@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.AccessDeniedException} ...). Bad arguments throw at once.
 *
 * <p>Compared with asyncio: asyncio itself has no file I/O (files are always "ready" for a
 * selector), which is why aiofiles uses a thread pool; so does this class. Compared with
 * {@code AsynchronousFileChannel}: whole-file helpers, a line iterator, and results on the loop
 * thread.
 */
public final class AsyncFiles {
    /** Lines read per executor call by {@link #lines}. */
    static final int LINES_PER_BATCH = 1024;

    private AsyncFiles() {
    }

    /**
     * The whole file as a UTF-8 string: {@code Files.readString} off the loop.
     *
     * @param path the file to read
     * @return the file's text
     */
    public static Future<String> readString(Path path) {
        Objects.requireNonNull(path, "path");
        return offload(() -> Files.readString(path));
    }

    /**
     * The whole file: {@code Files.readAllBytes} off the loop.
     *
     * @param path the file to read
     * @return the file's bytes
     */
    public static Future<byte[]> readAllBytes(Path path) {
        Objects.requireNonNull(path, "path");
        return offload(() -> Files.readAllBytes(path));
    }

    /**
     * Writes {@code text} as UTF-8: {@code Files.writeString} off the loop. Without options the
     * file is created or truncated. The text is copied first.
     *
     * @param path the file to write
     * @param text the text to write
     * @param options how to open the file, as for {@code Files.writeString}
     * @return the path
     */
    public static Future<Path> writeString(Path path, CharSequence text, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
        String copy = text.toString();
        OpenOption[] opts = checkOptions(options);
        return offload(() -> Files.writeString(path, copy, opts));
    }

    /**
     * Writes {@code bytes}: {@code Files.write} off the loop. Without options the file is created
     * or truncated. The array is copied first.
     *
     * @param path the file to write
     * @param bytes the bytes to write
     * @param options how to open the file, as for {@code Files.write}
     * @return the path
     */
    public static Future<Path> write(Path path, byte[] bytes, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        byte[] copy = bytes.clone();
        OpenOption[] opts = checkOptions(options);
        return offload(() -> Files.write(path, copy, opts));
    }

    /**
     * The lines of a UTF-8 file, read in batches on the executor: aiofiles'
     * {@code async for line in f}. The file is opened by the first {@code next()} (a missing file
     * fails that one), and closed at the end of the file, on a read failure, or by
     * {@link AsyncIterator#closeAsync()}, which {@link Async#forEach(AsyncIterator, ThrowingFunction)}
     * always calls. Lines carry no line terminator. A {@code next()} cancelled while its batch is
     * being read loses no line: the batch is kept for the next call.
     *
     * @param path the file to read
     * @return an iterator of the file's lines, not started yet
     */
    public static AsyncIterator<String> lines(Path path) {
        Objects.requireNonNull(path, "path");
        EventLoop loop = EventLoop.current();
        loop.checkThread("AsyncFiles.lines");
        return new Lines(loop, path);
    }

    /**
     * Opens a file: aiofiles' {@code aiofiles.open}. Without options it is opened for reading.
     * Close it with {@link AsyncFile#closeAsync()}, best through
     * {@code Async.using(AsyncFiles.open(p), f -> ...)}.
     *
     * @param path the file to open
     * @param options how to open it, as for {@code FileChannel.open}
     * @return the open file
     */
    public static Future<AsyncFile> open(Path path, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        OpenOption[] opts = checkOptions(options);
        EventLoop loop = EventLoop.current();
        return Offload.start(loop, new Object(), () -> {
            FileChannel channel = opts.length == 0 ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, opts);
            return new AsyncFile(loop, path, channel);
        }, AsyncFile::closeAsync);
    }

    private static OpenOption[] checkOptions(OpenOption[] options) {
        Objects.requireNonNull(options, "options");
        OpenOption[] copy = options.clone();
        for (int i = 0; i < copy.length; i++) {
            Objects.requireNonNull(copy[i], "options[" + i + "] is null");
        }
        return copy;
    }

    private static <V> Future<V> offload(java.util.concurrent.Callable<V> work) {
        return Offload.start(EventLoop.current(), new Object(), work, null);
    }

    /**
     * The iterator {@link #lines} returns. The executor side reads a batch into {@link #readAhead}
     * while holding the iterator's monitor; the loop side takes lines from there. Because the
     * lines travel through that queue and not through the batch futures, batches cannot arrive
     * out of order and a cancelled batch loses nothing.
     */
    static final class Lines implements AsyncIterator<String> {
        private final EventLoop loop;
        private final Path path;
        /** Lines read and not yet handed out. Written by executor work, read by the loop. */
        private final ConcurrentLinkedQueue<String> readAhead = new ConcurrentLinkedQueue<>();
        /** Set by executor work at the end of the file, on a failure, and by the close. */
        private volatile boolean ended;
        /** The open reader; executor work only, under this object's monitor. */
        private BufferedReader reader;
        /** The pending next(), if it had to read. Loop thread only. */
        private Future<Optional<String>> reading;
        /** The close, once asked for. Loop thread only. */
        private Future<Void> closing;

        Lines(EventLoop loop, Path path) {
            this.loop = loop;
            this.path = path;
        }

        @Override
        public Future<Optional<String>> next() {
            loop.checkThread("AsyncIterator.next");
            if (closing != null) {
                throw new IllegalStateException("next() of " + this + ", which is closed");
            }
            if (reading != null && !reading.isDone()) {
                throw new IllegalStateException("next() of " + this + " while the previous next() is pending");
            }
            String line = readAhead.poll();
            if (line != null) {
                return Async.completed(Optional.of(line));
            }
            if (ended) {
                return Async.completed(Optional.empty());
            }
            reading = Offload.start(loop, this, this::readBatch, null)
                    .map(ignored -> Optional.ofNullable(readAhead.poll()));
            return reading;
        }

        /** Executor work, under this object's monitor. */
        private Void readBatch() throws IOException {
            if (ended) {
                return null;
            }
            try {
                if (reader == null) {
                    reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                }
                for (int i = 0; i < LINES_PER_BATCH; i++) {
                    String line = reader.readLine();
                    if (line == null) {
                        endReading();
                        break;
                    }
                    readAhead.add(line);
                }
            } catch (IOException | RuntimeException e) {
                try {
                    endReading();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return null;
        }

        /** Executor work, under this object's monitor. */
        private void endReading() throws IOException {
            ended = true;
            BufferedReader r = reader;
            reader = null;
            if (r != null) {
                r.close();
            }
        }

        /** Whether the file is open now. For tests; any thread. */
        synchronized boolean isFileOpen() {
            return reader != null;
        }

        /**
         * Closes the file (on the executor, after a batch being read). Every call returns a future
         * of the same close; cancelling it does not stop the close.
         */
        @Override
        public Future<Void> closeAsync() {
            loop.checkThread("AsyncIterator.closeAsync");
            if (closing == null) {
                readAhead.clear();
                closing = Offload.start(loop, this, () -> {
                    endReading();
                    readAhead.clear();
                    return null;
                }, null);
            }
            return Async.shield(closing);
        }

        @Override
        public String toString() {
            return "AsyncFiles.lines[" + path + "]";
        }
    }
}
