package io.eventloop.process;

import static io.eventloop.process.ProcessTesting.await;
import static io.eventloop.process.ProcessTesting.failure;
import static io.eventloop.process.ProcessTesting.require;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A child's pipes as loop streams: throughput with every byte checked, back-pressure, EOF, no deadlock. */
@ExtendWith(ProcessTesting.class)
class SubprocessStreamsTest {
    private static final SubprocessOptions PIPES =
            SubprocessOptions.defaults().stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);

    private EventLoop loop;

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private Subprocess start(SubprocessOptions options, String... argv) {
        return await(loop, Subprocess.createSubprocessExec(List.of(argv), options));
    }

    /** The test pattern: byte {@code i} of a stream. Not periodic at any chunk size, so a lost, doubled or reordered chunk shows. */
    private static byte patternAt(long i) {
        return (byte) (i ^ (i >>> 8) ^ (i >>> 16) ^ (i >>> 24) * 7);
    }

    private static byte[] pattern(long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = patternAt(from + i);
        }
        return b;
    }

    /** Fails naming the first offset at which {@code b} (which starts at {@code from}) differs from the pattern. */
    private static void checkPattern(byte[] b, long from) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] != patternAt(from + i)) {
                throw new AssertionError("byte " + (from + i) + " is " + b[i] + ", expected " + patternAt(from + i));
            }
        }
    }

    @Test
    void catEchoes100MiBThroughStdinAndStdoutWithEveryByteChecked() {
        String cat = require("cat", "coreutils");
        Subprocess proc = start(PIPES, cat);
        long total = 100L << 20;
        int chunk = 64 * 1024;
        long[] sent = {0};
        Future<Void> writing = Async.repeat(() -> {
            if (sent[0] == total) {
                proc.stdin().close(); // cat reads EOF and exits once it has echoed everything
                return Async.completed(false);
            }
            int n = (int) Math.min(chunk, total - sent[0]);
            proc.stdin().write(pattern(sent[0], n));
            sent[0] += n;
            return proc.stdin().drain().map(v -> true);
        });
        long[] received = {0};
        int[] mostBuffered = {0};
        Future<Void> reading = Async.repeat(() -> proc.stdout().read(chunk).map(b -> {
            mostBuffered[0] = Math.max(mostBuffered[0], proc.stdout().buffered() + b.length);
            if (b.length == 0) {
                return false;
            }
            checkPattern(b, received[0]);
            received[0] += b.length;
            return true;
        }));
        await(loop, Async.gather(writing, reading));
        assertEquals(total, received[0]);
        assertEquals(0, await(loop, proc.await()));
        assertEquals("", new String(await(loop, proc.stderr().read(-1)), StandardCharsets.UTF_8));
        assertTrue(mostBuffered[0] <= 2 * proc.stdout().limit() + PipeReader.CHUNK,
                "the stdout reader held " + mostBuffered[0] + " bytes");
    }

    @Test
    void aChildWritingFasterThanWeReadIsHeldBackByTheReaderLimit() {
        String head = require("head", "coreutils");
        int limit = 4096;
        long total = 20_000_000;
        Subprocess proc = start(SubprocessOptions.defaults().stdout(Stdio.PIPE).limit(limit),
                head, "-c", Long.toString(total), "/dev/zero");
        while (proc.stdout().buffered() <= 2 * limit) {
            await(loop, Async.yieldNow());
        }
        // Time for 20 MB to pour in if nothing held the child back (a pipe carries that in milliseconds).
        await(loop, Async.sleep(Duration.ofMillis(300)));
        assertTrue(proc.stdout().buffered() <= 2 * limit + PipeReader.CHUNK,
                "buffered " + proc.stdout().buffered() + " bytes with a limit of " + limit);
        assertNull(proc.returnCode(), "head finished although nobody read its output");
        long[] received = {0};
        await(loop, Async.repeat(() -> proc.stdout().read(1 << 20).map(b -> {
            received[0] += b.length;
            return b.length > 0;
        })));
        assertEquals(total, received[0]);
        assertEquals(0, await(loop, proc.await()));
    }

    @Test
    void aChildFloodingStderrWhileWeReadStdoutLineByLineDoesNotDeadlock() {
        String python = require("python3", "python3");
        String script = "import sys\n"
                + "for i in range(20):\n"
                + "    sys.stderr.buffer.write(b'e' * (1 << 20)); sys.stderr.flush()\n"
                + "    sys.stdout.write('line %d\\n' % i); sys.stdout.flush()\n";
        Subprocess proc = start(SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.PIPE), python, "-c", script);
        List<String> lines = new ArrayList<>();
        Future<Void> stdout = Async.repeat(() -> proc.stdout().readLine().map(line -> {
            if (line == null) {
                return false;
            }
            lines.add(line);
            return true;
        }));
        long[] errBytes = {0};
        Future<Void> stderr = Async.repeat(() -> proc.stderr().read(8192).map(b -> {
            errBytes[0] += b.length;
            return b.length > 0;
        }));
        await(loop, Async.gather(stdout, stderr));
        assertEquals(20, lines.size());
        assertEquals("line 19", lines.get(19));
        assertEquals(20L << 20, errBytes[0]);
        assertEquals(0, await(loop, proc.await()));
    }

    @Test
    void communicateFeedsLargeInputWhileReadingLargeOutputOnBothPipes() {
        String python = require("python3", "python3");
        String script = "import sys\n"
                + "while True:\n"
                + "    b = sys.stdin.buffer.read1(65536)\n"
                + "    if not b: break\n"
                + "    sys.stdout.buffer.write(b); sys.stderr.buffer.write(b)\n";
        Subprocess proc = start(PIPES, python, "-c", script);
        byte[] input = pattern(0, 8 << 20);
        CompletedProcess done = await(loop, proc.communicate(input));
        assertEquals(0, done.returnCode());
        assertArrayEquals(input, done.stdout());
        assertArrayEquals(input, done.stderr());
        assertEquals(List.of(python, "-c", script), done.args());
    }

    @Test
    void communicateIgnoresAChildThatExitsWithoutReadingItsInput() {
        String head = require("head", "coreutils");
        Subprocess proc = start(PIPES, head, "-c", "10");
        CompletedProcess done = await(loop, proc.communicate(pattern(0, 4 << 20)));
        assertEquals(0, done.returnCode());
        assertArrayEquals(pattern(0, 10), done.stdout());
    }

    @Test
    void closingStdinSendsEofAndTheChildFinishes() {
        String cat = require("cat", "coreutils");
        Subprocess proc = start(PIPES, cat);
        proc.stdin().write("hello\nworld\n");
        proc.stdin().close();
        assertEquals("hello", await(loop, proc.stdout().readLine()));
        assertEquals("world", await(loop, proc.stdout().readLine()));
        assertNull(await(loop, proc.stdout().readLine()));
        assertEquals(0, await(loop, proc.await()));
        await(loop, proc.stdin().waitClosed());
        assertThrows(IllegalStateException.class, () -> proc.stdin().write("late"));
    }

    @Test
    void writeEofSendsEofAsClose() {
        String wc = require("wc", "coreutils");
        Subprocess proc = start(PIPES, wc, "-c");
        proc.stdin().write(new byte[12345]);
        proc.stdin().writeEof();
        assertEquals("12345", await(loop, proc.stdout().readLine()).trim());
        assertEquals(0, await(loop, proc.await()));
    }

    @Test
    void stdinsTransportFlushesAndAbortsAsASocketsDoes() {
        String cat = require("cat", "coreutils");
        Subprocess proc = start(PIPES, cat);
        io.eventloop.net.Transport stdin = proc.stdin().transport();
        assertNull(stdin.remoteAddress());
        proc.stdin().write("flushed\n");
        await(loop, stdin.flushed());
        assertEquals(0, stdin.writeBufferSize());
        assertEquals("flushed", await(loop, proc.stdout().readLine()));
        stdin.abort();
        assertTrue(stdin.isClosing());
        await(loop, proc.stdin().waitClosed());
        assertThrows(IllegalStateException.class, () -> proc.stdin().write("after abort"));
        assertNull(await(loop, proc.stdout().readLine()), "cat read EOF once its stdin was closed");
        assertEquals(0, await(loop, proc.await()));
        assertThrows(UnsupportedOperationException.class, stdin::pauseReading);
        assertThrows(IllegalArgumentException.class, () -> stdin.setWriteBufferLimits(1, 2));
    }

    @Test
    void drainFailsOnceTheChildHasExitedWithoutReading() {
        String trueProgram = require("true", "coreutils");
        Subprocess proc = start(PIPES, trueProgram);
        assertEquals(0, await(loop, proc.await()));
        await(loop, proc.stdin().waitClosed());
        proc.stdin().write(new byte[100]); // dropped, as a socket transport drops writes after the peer left
        Throwable error = failure(loop, proc.stdin().drain());
        assertInstanceOf(IOException.class, error);
        await(loop, proc.communicate());
    }

    @Test
    void aChildWhoseStdinIsNotUsedStartsNoThreadForIt() {
        String sleep = require("sleep", "coreutils");
        Subprocess proc = start(SubprocessOptions.defaults().stdin(Stdio.PIPE), sleep, "0.2");
        assertTrue(ProcessTesting.pipeThreads().isEmpty(), "threads: " + ProcessTesting.pipeThreads());
        assertEquals(0, await(loop, proc.await()));
        await(loop, proc.stdin().waitClosed());
    }

    @Test
    void stderrMergedIntoStdoutArrivesOnStdout() {
        Subprocess proc = await(loop, Subprocess.createSubprocessShell("echo out; echo err >&2",
                SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.STDOUT)));
        assertNull(proc.stderr());
        CompletedProcess done = await(loop, proc.communicate());
        assertEquals("out\nerr\n", done.stdoutText());
        assertNull(done.stderr());
    }

    @Test
    void devnullGivesEofOnStdinAndDiscardsOutput() {
        String cat = require("cat", "coreutils");
        Subprocess proc = start(SubprocessOptions.defaults().stdin(Stdio.DEVNULL).stdout(Stdio.PIPE).stderr(Stdio.DEVNULL),
                cat);
        assertNull(proc.stdin());
        assertEquals(0, await(loop, proc.stdout().read(-1)).length);
        assertEquals(0, await(loop, proc.await()));
        Subprocess quiet = await(loop, Subprocess.createSubprocessShell("echo lost; echo lost >&2",
                SubprocessOptions.defaults().stdout(Stdio.DEVNULL).stderr(Stdio.STDOUT)));
        assertEquals(0, await(loop, quiet.await()));
    }

    @Test
    void aReadWaitingOnAPipeSaysWhichPipeItWaitsOn() {
        Subprocess proc = start(SubprocessOptions.defaults().stdout(Stdio.PIPE), require("sleep", "coreutils"), "0.1");
        Future<String> line = proc.stdout().readLine();
        assertEquals("StreamReader.readLine[pending, read from PipeReader[stdout of process " + proc.pid() + "]]",
                line.toString());
        assertNull(await(loop, line));
        assertEquals(0, await(loop, proc.await()));
    }

    @Test
    void aShellCommandRunsInSh() {
        Subprocess proc = await(loop, Subprocess.createSubprocessShell("echo $((6 * 7))",
                SubprocessOptions.defaults().stdout(Stdio.PIPE)));
        assertEquals(List.of("/bin/sh", "-c", "echo $((6 * 7))"), proc.args());
        assertEquals("42\n", await(loop, proc.communicate()).stdoutText());
    }

    @Test
    void closingStdoutEarlyEndsItsThreadAndTheChildGetsABrokenPipe() {
        String yes = require("yes", "coreutils");
        Subprocess proc = start(SubprocessOptions.defaults().stdout(Stdio.PIPE), yes);
        assertEquals("y", await(loop, proc.stdout().readLine()));
        proc.stdoutPipe().close(); // what asyncio's transport.get_pipe_transport(1).close() does
        assertEquals(-13, await(loop, proc.await()), "yes should die of SIGPIPE once its stdout is closed");
    }
}
