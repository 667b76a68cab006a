package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.AsyncFiles;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * File I/O that does not block the loop ("asyncio fundamentals", "Files: aiofiles"). Python:
 * <pre>
 * import aiofiles
 *
 * async def read_file(path):
 *     async with aiofiles.open(path, 'r') as f:
 *         return await f.read()
 * </pre>
 * {@link AsyncFiles} does what aiofiles does: each blocking file call runs on the loop's default
 * executor and its result comes back on the loop. {@code aiofiles.open} is
 * {@link AsyncFiles#open}, and the {@code async with} around it is {@link Async#using}. The
 * program writes a temporary file, reads it back whole with {@code readFile}, then line by line
 * with {@link AsyncFiles#lines} and {@code async for}, and deletes it.
 */
public final class FilesDemo {
    private FilesDemo() {
    }

    static Future<String> readFile(Path path) {
        return Async.using(AsyncFiles.open(path), f -> f.readAll())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    static Future<Void> main(Path path) {
        int[] number = {0};
        return AsyncFiles.writeString(path, "first line\nsecond line\nthird line\n")
                .then(written -> readFile(path))
                .then(text -> {
                    System.out.print("read_file:\n" + text);
                    System.out.println("line by line:");
                    return Async.forEach(AsyncFiles.lines(path), line -> {
                        System.out.println(++number[0] + ": " + line);
                        return Async.completed(null);
                    });
                })
                .ensure(() -> Async.toThread(() -> Files.deleteIfExists(path)));
    }

    /** Runs the program: {@code ./run files}. */
    public static void main(String[] args) throws Exception {
        Args.parse(args, "./run files"); // nothing to scale: it waits only for the disk
        Path path = Files.createTempFile("eventloop-files", ".txt");
        EventLoop.run(() -> main(path));
    }
}
