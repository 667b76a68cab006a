package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.AsyncFile;
import io.eventloop.AsyncFiles;
import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link FilesDemo} in straight-line form: {@code async with aiofiles.open(path)} is an
 * {@code await} of the opening and a {@code try/finally} awaiting the closing; {@code async for}
 * over the lines is a {@code while} over {@code await(lines.next())}. Python:
 * <pre>
 * async def read_file(path):
 *     async with aiofiles.open(path, 'r') as f:
 *         return await f.read()
 * </pre>
 */
public final class FilesAwait {
    private FilesAwait() {
    }

    static Task<String> readFile(Path path) {
        return async(() -> {
            AsyncFile f = await(AsyncFiles.open(path));
            try {
                return new String(await(f.readAll()), StandardCharsets.UTF_8);
            } finally {
                await(f.closeAsync());
            }
        });
    }

    static Task<Void> main(Path path) {
        return async(() -> {
            try {
                await(AsyncFiles.writeString(path, "first line\nsecond line\nthird line\n"));
                String text = await(readFile(path));
                System.out.print("read_file:\n" + text);
                System.out.println("line by line:");
                AsyncIterator<String> lines = AsyncFiles.lines(path);
                try {
                    int number = 0;
                    Optional<String> line;
                    while ((line = await(lines.next())).isPresent()) {
                        System.out.println(++number + ": " + line.get());
                    }
                } finally {
                    await(lines.closeAsync());
                }
            } finally {
                await(Async.toThread(() -> Files.deleteIfExists(path)));
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run files --await}. */
    public static void main(String[] args) throws Exception {
        Args.parse(args, "./run files --await"); // nothing to scale: it waits only for the disk
        Path path = Files.createTempFile("eventloop-files", ".txt");
        EventLoop.run(() -> main(path));
    }
}
