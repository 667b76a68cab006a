package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.eventloop.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesDemoTest {
    @Test
    void theFileIsWrittenReadWholeThenLineByLineAndDeleted(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("demo.txt");
        String out = SyncVsAsyncTest.capture(() -> EventLoop.run(() -> FilesDemo.main(path)));
        assertEquals(List.of("read_file:", "first line", "second line", "third line",
                "line by line:", "1: first line", "2: second line", "3: third line"), List.of(out.split("\\R")));
        assertFalse(Files.exists(path), "the program deletes its file");
    }
}
